package moderation

import (
	"fmt"
	"time"
)

// Reporting signals (docs/misuse.md): counters of one business's reporting over
// the last 12 calendar months, each judged against a threshold that makes it
// a flag for compliance. The counters are kept per calendar month (UTC) of
// the report's filing; the window is the current month and the 11 before it.

// WindowMonths is the length of the signals' window in calendar months.
const WindowMonths = 12

// Thresholds that make a signal a flag. They are constants so that every
// deployment judges businesses alike; docs/product.md explains each.
const (
	// FlagReportsPerYear: this many reports in the window is a flag (absolute number).
	FlagReportsPerYear = 100
	// FlagMinSample: the share signals are only judged on at least this many reports.
	FlagMinSample = 5
	// FlagUnfoundedShare: this share of decided reports ending reinstated is a flag.
	FlagUnfoundedShare = 0.5
	// FlagNegativeGap: a share of reports on 1–2 star reviews this much above
	// the share of 1–2 star reviews among the business's reviews is a flag.
	FlagNegativeGap = 0.3
	// FlagRepeatReports: this many reports on reviews already reported before is a flag.
	FlagRepeatReports = 3
	// FlagReportsPerWeek: this many reports in one ISO week of the recent weeks is a flag.
	FlagReportsPerWeek = 25
	// RecentWeeks is how many ISO weeks the per-week signal shows.
	RecentWeeks = 8
	// FlagReplyRemovals: this many of the business's replies removed by
	// compliance in the window is a flag (replies that broke the reply guidelines).
	FlagReplyRemovals = 3
)

// MonthCounts are one calendar month's counters of a business's reports.
type MonthCounts struct {
	Month     string          // YYYY-MM
	Total     int             // reports filed
	ByStars   map[int]int     // reports by the reported review's stars
	ByOutcome map[Outcome]int // final outcome of the reports filed that month
	Removed   map[Reason]int  // removals by upheld reason
	Repeat    int             // reports on a review reported before (an earlier version)
	ByWeek    map[string]int  // reports by ISO week (YYYY-Www)
	// RepliesRemoved counts the business's replies compliance removed in
	// this month (counted in the month of the removal: a reply is not filed).
	RepliesRemoved int
}

// MonthKey is the bucket of an instant: its UTC calendar month.
func MonthKey(t time.Time) string { return t.UTC().Format("2006-01") }

// WeekKey is the ISO week of an instant (UTC), e.g. 2026-W49.
func WeekKey(t time.Time) string {
	y, w := t.UTC().ISOWeek()
	return fmt.Sprintf("%04d-W%02d", y, w)
}

// WindowMonthKeys returns the window's month keys, oldest first, ending with now's month.
func WindowMonthKeys(now time.Time) []string {
	now = now.UTC()
	first := time.Date(now.Year(), now.Month(), 1, 0, 0, 0, 0, time.UTC)
	out := make([]string, WindowMonths)
	for i := 0; i < WindowMonths; i++ {
		out[i] = MonthKey(first.AddDate(0, i-(WindowMonths-1), 0))
	}
	return out
}

// Signal is one judged signal.
type Signal struct {
	Value       float64
	Threshold   float64
	Flagged     bool
	Explanation string
}

// WeekCount is the number of reports filed in one ISO week.
type WeekCount struct {
	Week  string
	Count int
}

// ReportingSignals are a business's reporting signals over the window.
type ReportingSignals struct {
	BusinessID string
	From, To   string // first and last month of the window (YYYY-MM)
	Reports    int
	Reinstated int
	Removed    int
	RemovedBy  map[Reason]int
	ByStars    map[int]int
	ReviewsBy  map[int]int // the business's reviews by stars (all time, current ratings)
	Repeat     int
	Weeks      []WeekCount // the RecentWeeks ISO weeks up to now's, oldest first
	// RepliesRemoved is how many of the business's replies compliance removed.
	RepliesRemoved int

	ReportVolume   Signal
	UnfoundedShare Signal
	NegativeOnly   Signal
	RepeatReports  Signal
	PerWeek        Signal
	ReplyRemovals  Signal
	Flagged        bool // any signal flagged
}

func negShare(m map[int]int) (float64, int) {
	n, neg := 0, 0
	for s, c := range m {
		n += c
		if s <= 2 {
			neg += c
		}
	}
	if n == 0 {
		return 0, 0
	}
	return float64(neg) / float64(n), n
}

// JudgeSignals sums the window's months and judges each signal. months
// outside the window (by key) are ignored, so a stale bucket never counts.
func JudgeSignals(businessID string, now time.Time, months []MonthCounts, reviewsByStars map[int]int) ReportingSignals {
	keys := WindowMonthKeys(now)
	in := map[string]bool{}
	for _, k := range keys {
		in[k] = true
	}
	weeks := make([]WeekCount, RecentWeeks)
	weekIdx := map[string]int{}
	for i := 0; i < RecentWeeks; i++ {
		k := WeekKey(now.AddDate(0, 0, -7*(RecentWeeks-1-i)))
		weeks[i] = WeekCount{Week: k}
		weekIdx[k] = i
	}
	s := ReportingSignals{BusinessID: businessID, From: keys[0], To: keys[len(keys)-1], RemovedBy: map[Reason]int{},
		ByStars: map[int]int{}, ReviewsBy: map[int]int{}, Weeks: weeks}
	for k, v := range reviewsByStars {
		if v > 0 {
			s.ReviewsBy[k] = v
		}
	}
	for _, m := range months {
		if !in[m.Month] {
			continue
		}
		s.Reports += m.Total
		s.Reinstated += m.ByOutcome[OutcomeReinstated]
		s.Removed += m.ByOutcome[OutcomeRemoved]
		s.Repeat += m.Repeat
		s.RepliesRemoved += m.RepliesRemoved
		for k, v := range m.ByStars {
			if v > 0 {
				s.ByStars[k] += v
			}
		}
		for k, v := range m.Removed {
			if v > 0 {
				s.RemovedBy[k] += v
			}
		}
		for k, v := range m.ByWeek {
			if i, ok := weekIdx[k]; ok {
				s.Weeks[i].Count += v
			}
		}
	}
	s.ReportVolume = Signal{Value: float64(s.Reports), Threshold: FlagReportsPerYear, Flagged: s.Reports >= FlagReportsPerYear,
		Explanation: fmt.Sprintf("%s in the last %d months; %d or more is a flag (frequent reporting, judged in absolute numbers).", reports(s.Reports), WindowMonths, FlagReportsPerYear)}
	decided := s.Reinstated + s.Removed
	share := 0.0
	if decided > 0 {
		share = float64(s.Reinstated) / float64(decided)
	}
	s.UnfoundedShare = Signal{Value: round3(share), Threshold: FlagUnfoundedShare, Flagged: decided >= FlagMinSample && share >= FlagUnfoundedShare,
		Explanation: fmt.Sprintf("%d of %d decided reports ended reinstated (unfounded); a share of %.0f%% or more, over at least %d decided reports, is a flag.",
			s.Reinstated, decided, FlagUnfoundedShare*100, FlagMinSample)}
	repNeg, repN := negShare(s.ByStars)
	revNeg, _ := negShare(s.ReviewsBy)
	gap := repNeg - revNeg
	s.NegativeOnly = Signal{Value: round3(gap), Threshold: FlagNegativeGap, Flagged: repN >= FlagMinSample && gap >= FlagNegativeGap,
		Explanation: fmt.Sprintf("%.0f%% of the reports are on 1–2 star reviews, against %.0f%% of 1–2 star reviews among the business's reviews; a gap of %.0f points or more, over at least %d reports, is a flag (reporting only negative reviews).",
			repNeg*100, revNeg*100, FlagNegativeGap*100, FlagMinSample)}
	s.RepeatReports = Signal{Value: float64(s.Repeat), Threshold: FlagRepeatReports, Flagged: s.Repeat >= FlagRepeatReports,
		Explanation: fmt.Sprintf("%s on reviews the business had reported before (after an edit, or after its appeal failed); %d or more is a flag (reporting a review several times to get it removed).", reports(s.Repeat), FlagRepeatReports)}
	maxWeek := WeekCount{}
	for _, w := range s.Weeks {
		if w.Count > maxWeek.Count {
			maxWeek = w
		}
	}
	s.PerWeek = Signal{Value: float64(maxWeek.Count), Threshold: FlagReportsPerWeek, Flagged: maxWeek.Count >= FlagReportsPerWeek,
		Explanation: fmt.Sprintf("at most %s in one week of the last %d weeks; %d or more in one week is a flag (bursts of reporting).", reports(maxWeek.Count), RecentWeeks, FlagReportsPerWeek)}
	s.ReplyRemovals = JudgeReplyRemovals(s.RepliesRemoved)
	s.Flagged = s.ReportVolume.Flagged || s.UnfoundedShare.Flagged || s.NegativeOnly.Flagged || s.RepeatReports.Flagged || s.PerWeek.Flagged ||
		s.ReplyRemovals.Flagged
	return s
}

// JudgeReplyRemovals judges the number of the business's replies removed by
// compliance in the window: FlagReplyRemovals or more is a flag.
func JudgeReplyRemovals(removed int) Signal {
	return Signal{Value: float64(removed), Threshold: FlagReplyRemovals, Flagged: removed >= FlagReplyRemovals,
		Explanation: fmt.Sprintf("%d of the business's replies removed by compliance in the last %d months; %d or more is a flag (replies that break the reply guidelines).",
			removed, WindowMonths, FlagReplyRemovals)}
}

func round3(f float64) float64 { return float64(int(f*1000+0.5*sign(f))) / 1000 }

func sign(f float64) float64 {
	if f < 0 {
		return -1
	}
	return 1
}

// reports is "1 report" or "n reports".
func reports(n int) string {
	if n == 1 {
		return "1 report"
	}
	return fmt.Sprintf("%d reports", n)
}
