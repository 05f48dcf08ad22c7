package moderation

import (
	"maps"
	"time"
)

// Sanctions against a business that misuses reporting (DSA Art. 23): a
// warning, and a suspension of its reporting for a set period. Each ends by
// itself: a warning lapses WarningLifetime after it was given, a suspension
// at its until.

// SanctionKind is what a sanction is.
type SanctionKind string

// The kinds.
const (
	SanctionWarning    SanctionKind = "warning"
	SanctionSuspension SanctionKind = "suspension"
)

// SanctionStatus is where a sanction is: active until it ends by itself.
type SanctionStatus string

// The statuses.
const (
	SanctionActive SanctionStatus = "active"
	SanctionEnded  SanctionStatus = "ended"
)

// Limits of a sanction.
const (
	SanctionNoteMin = MinNote
	SanctionNoteMax = MaxNote
	// MaxSuspension is the longest suspension compliance may set.
	MaxSuspension = 365 * 24 * time.Hour
	// WarningLifetime is how long a warning stays on the business's record
	// as active.
	WarningLifetime = 365 * 24 * time.Hour
)

// Sanction is one warning or suspension of a business.
type Sanction struct {
	ID         string
	BusinessID string
	Kind       SanctionKind
	Status     SanctionStatus
	Note       string // the facts, as the agent wrote them
	Agent      string // who decided (audit form)
	CreatedAt  time.Time
	// Until is when it ends by itself: the suspension's end, or the
	// warning's lapse.
	Until   time.Time
	EndedAt time.Time // zero while active
	// LiftedBy is the agent who ended it before its until (audit form): a
	// mistake corrected, or the business's objection upheld. "" otherwise.
	LiftedBy string
}

// Lifted reports whether an agent ended s before its until.
func (s Sanction) Lifted() bool { return s.LiftedBy != "" }

// EndNotice is what the end of a sanction tells its business.
type EndNotice string

// The notices of an end.
const (
	EndTellsNothing   EndNotice = ""
	EndTellsReopened  EndNotice = "reopened"  // reporting is open again
	EndTellsWithdrawn EndNotice = "withdrawn" // the warning was withdrawn
)

// SanctionEnd is what one end of a sanction knows besides the sanction.
type SanctionEnd struct {
	// ByLift: this end is the lift's own, at once, rather than the one at
	// the sanction's until (which still comes, and finds it lifted).
	ByLift bool
	// Told: the business was told of the sanction.
	Told bool
	// StillSuspended: another suspension keeps the business's reporting
	// blocked after this one.
	StillSuspended bool
}

// NoticeAtEnd is what an end of s tells its business, so that every notice
// is true when it is sent and sent once:
//   - nothing to a business never told of the sanction;
//   - nothing at a lifted sanction's until: the lift's own end told what
//     there was to tell, and reporting may have reopened, or been blocked
//     again, since;
//   - at a suspension's end, that reporting is open again, unless another
//     suspension keeps it blocked (that one's end will tell);
//   - at a warning's lift, that it was withdrawn; a warning lapsing by
//     itself is not told.
func NoticeAtEnd(s Sanction, e SanctionEnd) EndNotice {
	switch {
	case !e.Told, s.Lifted() && !e.ByLift:
		return EndTellsNothing
	case s.Kind == SanctionSuspension && !e.StillSuspended:
		return EndTellsReopened
	case s.Kind == SanctionWarning && s.Lifted():
		return EndTellsWithdrawn
	}
	return EndTellsNothing
}

// WarnedBefore reports whether the business of s had been warned before s
// was given: a warning among its sanctions given earlier and not withdrawn
// (lifted). A suspension's notice says it follows a warning only then.
func WarnedBefore(s Sanction, sanctions []Sanction) bool {
	for _, o := range sanctions {
		if o.ID != s.ID && o.Kind == SanctionWarning && o.CreatedAt.Before(s.CreatedAt) && !o.Lifted() {
			return true
		}
	}
	return false
}

// SanctionNotActive is the refusal to lift a sanction that has ended.
func SanctionNotActive(s Sanction) *Error {
	return Conflict(CodeSanctionNotActive, "the "+string(s.Kind)+" has ended already; there is nothing to lift")
}

// ActiveAt reports whether s is in force at now: ended neither by record nor by the clock.
func (s Sanction) ActiveAt(now time.Time) bool {
	return s.Status == SanctionActive && now.Before(s.Until)
}

// ValidateSanctionNote checks a sanction's note (the facts) by the text
// rule, its length in visible characters: the note goes to the business in
// an email, like every other text a person wrote.
func ValidateSanctionNote(note string) error {
	if msg := checkText(note, SanctionNoteMin, SanctionNoteMax); msg != "" {
		return InvalidField("note", msg)
	}
	return nil
}

// ValidateSanction checks a new sanction's note and, for a suspension, its
// end against now, reporting every problem at once. badUntil, when not
// empty, is the problem of an end that could not even be read.
func ValidateSanction(kind SanctionKind, note string, until, now time.Time, badUntil string) error {
	fields := map[string]string{}
	if e, ok := AsError(ValidateSanctionNote(note)); ok {
		maps.Copy(fields, e.Fields)
	}
	if kind == SanctionSuspension {
		if badUntil != "" {
			fields["until"] = badUntil
		} else if e, ok := AsError(ValidateSuspensionUntil(until, now)); ok {
			maps.Copy(fields, e.Fields)
		}
	}
	if len(fields) == 0 {
		return nil
	}
	return Invalid(fields)
}

// ValidateSuspensionUntil checks a suspension's end against now.
func ValidateSuspensionUntil(until, now time.Time) error {
	switch {
	case until.IsZero():
		return InvalidField("until", "is required (RFC 3339)")
	case !until.After(now):
		return InvalidField("until", "must be in the future")
	case until.Sub(now) > MaxSuspension:
		return InvalidField("until", "must be at most 365 days ahead")
	}
	return nil
}

// ReportingSuspended is the refusal of a report while s suspends reporting.
func ReportingSuspended(s Sanction) *Error {
	e := Conflict(CodeReportingSuspended, "reporting is suspended for this business until "+
		s.Until.UTC().Format(time.RFC3339)+" (DSA Art. 23); you can object by replying to compliance's email")
	e.Until = s.Until.UTC()
	return e
}
