package moderation

import (
	"fmt"
	"strings"
	"testing"
	"time"
	"unicode/utf8"
)

func TestFindPersonalData(t *testing.T) {
	const name = "Anna Lindqvist"
	tests := []struct {
		name string
		text string
		want PersonalData
	}{
		{"email", "Write to anna.l@example.com and we will help.", PersonalEmail},
		{"email upper case", "Mail ANNA@EXAMPLE.SE", PersonalEmail},
		{"phone international", "Call us on +46 70 123 45 67.", PersonalPhone},
		{"phone national sv", "Ring 070-123 45 67 så löser vi det.", PersonalPhone},
		{"phone national de", "Rufen Sie 030 12345678 an.", PersonalPhone},
		{"phone us grouped", "Call (555) 123-4567 any time.", PersonalPhone},
		{"phone 00 prefix", "Call 0049301234567", PersonalPhone},
		{"card with spaces", "Your card 4111 1111 1111 1111 was refunded.", PersonalPaymentCard},
		{"card unbroken", "Card 5555555555554444 refunded", PersonalPaymentCard},
		{"card with dashes", "Card 4012-8888-8888-1881.", PersonalPaymentCard},
		{"iban grouped", "We paid to SE45 5000 0000 0583 9825 7466 yesterday.", PersonalIBAN},
		{"iban unbroken", "Konto DE89370400440532013000.", PersonalIBAN},
		{"reviewer full name", "Dear Anna Lindqvist, thank you.", PersonalReviewerName},
		{"reviewer name other case", "dear anna  lindqvist, thank you.", PersonalReviewerName},
		{"reviewer family name", "Thank you, Mrs Lindqvist.", PersonalReviewerName},

		{"first name alone is a greeting", "Thank you, Anna!", PersonalNone},
		{"family name inside a word", "Lindqvistgatan is our street.", PersonalNone},
		{"order number", "Your order 4711 shipped.", PersonalNone},
		{"seven-digit order number", "Order 1234567 shipped.", PersonalNone},
		{"long unbroken order number", "Order 123456789 shipped.", PersonalNone},
		{"iso date", "Delivered 2024-03-15 as promised.", PersonalNone},
		{"european date", "Geliefert am 15.03.2024.", PersonalNone},
		{"us date", "Shipped 03/15/2024.", PersonalNone},
		{"date with spaces", "Levererat 15 03 2024.", PersonalNone},
		{"opening hours", "Geöffnet 10.00-18.00 Uhr.", PersonalNone},
		{"price", "It costs 1 299,00 kr.", PersonalNone},
		{"price range", "Between 1 299 - 2 499 kr.", PersonalNone},
		{"price in euro", "€1,299.00 for the pair.", PersonalNone},
		{"invalid luhn 16 digits", "Ticket 4111 1111 1111 1112 noted.", PersonalNone},
		{"iban with a bad check", "SE45 5000 0000 0583 9825 7467", PersonalNone},
		{"plain thanks", "Thank you for your kind words, we hope to see you again!", PersonalNone},
		{"no name known", "Dear customer", PersonalNone},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := FindPersonalData(tt.text, name); got != tt.want {
				t.Errorf("FindPersonalData(%q) = %q, want %q", tt.text, got, tt.want)
			}
		})
	}
}

func TestLuhnAndIBAN(t *testing.T) {
	for _, tt := range []struct {
		in   string
		luhn bool
	}{{"4111111111111111", true}, {"4111111111111112", false}, {"79927398713", true}, {"", false}, {"12a4", false}} {
		if got := Luhn(tt.in); got != tt.luhn {
			t.Errorf("Luhn(%q) = %v, want %v", tt.in, got, tt.luhn)
		}
	}
	for _, tt := range []struct {
		in   string
		want bool
	}{{"GB82 WEST 1234 5698 7654 32", true}, {"GB82WEST12345698765433", false}, {"1234", false}, {"XX00", false}} {
		if got := ValidIBAN(tt.in); got != tt.want {
			t.Errorf("ValidIBAN(%q) = %v, want %v", tt.in, got, tt.want)
		}
	}
}

func TestFindEditRequest(t *testing.T) {
	tests := []struct {
		text   string
		locale string // "" when no edit request must be found
	}{
		{"Could you please update your review?", LocaleEN},
		{"We would appreciate it if you would consider deleting your review.", LocaleEN},
		{"Please remove the review.", LocaleEN},
		{"Please change your rating to five stars.", LocaleEN},
		{"Kindly take down your negative review.", LocaleEN},
		{"We'd like to have your review removed.", LocaleEN},
		{"Could the review be updated now that it is solved?", LocaleEN},
		{"Please EDIT   your\nreview.", LocaleEN},
		{"Kan du ändra ditt omdöme?", LocaleSV},
		{"Vi ber dig ta bort din recension.", LocaleSV},
		{"Snälla uppdatera betyget.", LocaleSV},
		{"Vill du se över ditt omdöme nu?", LocaleSV},
		{"Radera gärna omdömet.", LocaleSV},
		{"Ta gärna bort omdömet.", LocaleSV},
		{"Bitte ändern Sie Ihre Bewertung.", LocaleDE},
		{"Wir bitten Sie, Ihre Bewertung zu löschen.", LocaleDE},
		{"Könnten Sie die Bewertung bitte aktualisieren?", LocaleDE},
		{"Lösche bitte deine Bewertung.", LocaleDE},

		{"Thank you for your review!", ""},
		{"We have updated our delivery process since.", ""},
		{"Tack för ditt omdöme, vi har ändrat våra rutiner.", ""},
		{"Danke für Ihre Bewertung, wir haben unsere Abläufe geändert.", ""},
		{"The review process changed last year.", ""},
	}
	for _, tt := range tests {
		t.Run(tt.text, func(t *testing.T) {
			p, ok := FindEditRequest(tt.text)
			if ok != (tt.locale != "") || (ok && p.Locale != tt.locale) {
				t.Errorf("FindEditRequest(%q) = %+v, %v; want locale %q", tt.text, p, ok, tt.locale)
			}
		})
	}
}

func TestEveryEditRequestPhraseIsTested(t *testing.T) {
	seen := map[string]bool{}
	for _, text := range []string{"update your review", "your review removed", "ändra ditt omdöme", "ta bort omdömet",
		"ihre bewertung zu ändern", "ändern sie ihre bewertung"} {
		p, ok := FindEditRequest(text)
		if !ok {
			t.Fatalf("FindEditRequest(%q) found nothing", text)
		}
		seen[p.Pattern] = true
	}
	for _, p := range EditRequestPhrases {
		if !seen[p.Pattern] {
			t.Errorf("phrase %s %q is matched by no example here", p.Locale, p.Pattern)
		}
	}
}

func TestCheckReply(t *testing.T) {
	in := func(text, locale string) ReplyInput {
		return ReplyInput{Text: text, ReviewerName: "Anna Lindqvist", BusinessLocale: locale, OwnDomains: []string{"shop.example"}}
	}
	tests := []struct {
		name      string
		in        ReplyInput
		want      string // the text to publish
		code      string // the refusal's code
		fieldPart string // a part of the refusal on "text"
	}{
		{"thanks", in("  Thank you for your review!  ", LocaleEN), "Thank you for your review!", "", ""},
		{"own link kept", in("See https://www.shop.example/help", LocaleEN), "See https://www.shop.example/help", "", ""},
		{"foreign link defanged", in("See https://evil.example/x", LocaleEN), "See hxxps://evil[.]example/x", "", ""},
		{"lookalike domain defanged", in("See https://shop.example.evil.example", LocaleEN), "See hxxps://shop[.]example[.]evil[.]example", "", ""},
		{"bare domain defanged", in("Log in at secure-login.example/verify", LocaleEN), "Log in at secure-login[.]example/verify", "", ""},
		{"scheme-relative link defanged", in("See //evil.example/x", LocaleEN), "See //evil[.]example/x", "", ""},
		{"own bare domain kept", in("Find us at shop.example/help", LocaleEN), "Find us at shop.example/help", "", ""},
		{"empty", in("   ", LocaleEN), "", CodeValidationFailed, "is required"},
		{"too long", in(strings.Repeat("a", MaxReplyLength+1), LocaleEN), "", CodeValidationFailed, "at most 2000"},
		{"at the limit", in(strings.Repeat("a", MaxReplyLength), LocaleEN), strings.Repeat("a", MaxReplyLength), "", ""},
		{"bidi override", in("Thanks \u202Eevil", LocaleEN), "", CodeValidationFailed, "invisible"},
		{"email en", in("Mail us at a@b.example", LocaleEN), "", CodeReplyPersonalData, "email address"},
		{"email sv", in("Mejla a@b.example", LocaleSV), "", CodeReplyPersonalData, "e-postadressen"},
		{"phone de", in("Rufen Sie +49 30 1234567 an", LocaleDE), "", CodeReplyPersonalData, "Telefonnummer"},
		{"name", in("Hi Anna Lindqvist", LocaleEN), "", CodeReplyPersonalData, "do not name the reviewer"},
		{"edit request en", in("Please update your review.", LocaleEN), "", CodeReplyEditRequest, "must not ask"},
		{"edit request sv in a de business", in("Ändra ditt omdöme, tack.", LocaleDE), "", CodeReplyEditRequest, "Bewertung zu ändern"},
		{"unknown locale falls back to en", in("Please delete your review", "fr"), "", CodeReplyEditRequest, "must not ask"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := CheckReply(tt.in)
			if tt.code == "" {
				if err != nil || got != tt.want {
					t.Fatalf("CheckReply = %q, %v; want %q", got, err, tt.want)
				}
				return
			}
			e, ok := AsError(err)
			if !ok || e.Kind != KindInvalid || e.Code != tt.code || !strings.Contains(e.Fields["text"], tt.fieldPart) {
				t.Fatalf("CheckReply = %q, %v; want %s naming text with %q", got, err, tt.code, tt.fieldPart)
			}
			if len(e.Fields) != 1 {
				t.Errorf("fields = %v, want only text", e.Fields)
			}
		})
	}
}

func TestReplyRefusalInEveryLocale(t *testing.T) {
	kinds := []string{"edit_request"}
	for _, k := range PersonalDataKinds() {
		kinds = append(kinds, string(k))
	}
	for _, loc := range []string{LocaleEN, LocaleSV, LocaleDE} {
		for _, k := range kinds {
			got := ReplyRefusal(loc, k)
			if got == "" || (loc != LocaleEN && got == ReplyRefusal(LocaleEN, k)) {
				t.Errorf("ReplyRefusal(%s, %s) = %q: missing or untranslated", loc, k, got)
			}
		}
	}
}

func TestOwnsHost(t *testing.T) {
	own := []string{"shop.example", "Butik.Example."}
	tests := []struct {
		host string
		want bool
	}{
		{"shop.example", true}, {"www.shop.example", true}, {"SHOP.EXAMPLE.", true}, {"butik.example", true},
		{"evilshop.example", false}, {"shop.example.evil", false}, {"", false}, {"example", false},
	}
	for _, tt := range tests {
		if got := OwnsHost(own, tt.host); got != tt.want {
			t.Errorf("OwnsHost(%q) = %v, want %v", tt.host, got, tt.want)
		}
	}
}

func TestReplyRules(t *testing.T) {
	t0 := time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)
	published := Reply{Status: ReplyPublished, Revision: 1}
	t.Run("CanReply", func(t *testing.T) {
		for _, tt := range []struct {
			v    Visibility
			want bool
		}{{Published, true}, {UnderInvestigation, true}, {Removed, false}} {
			if got := CanReply(Review{Visibility: tt.v}); got != tt.want {
				t.Errorf("CanReply(%s) = %v, want %v", tt.v, got, tt.want)
			}
		}
	})
	t.Run("ReplyShown", func(t *testing.T) {
		for _, tt := range []struct {
			v     Visibility
			reply Reply
			want  bool
		}{
			{Published, published, true},
			{UnderInvestigation, published, false},
			{Removed, published, false},
			{Published, Reply{}, false},
			{Published, Reply{Status: ReplyDeleted, Revision: 2}, false},
			{Published, Reply{Status: ReplyRemoved, Revision: 2}, false},
		} {
			if got := ReplyShown(Review{Visibility: tt.v, Reply: tt.reply}); got != tt.want {
				t.Errorf("ReplyShown(%s, %s) = %v, want %v", tt.v, tt.reply.Status, got, tt.want)
			}
		}
	})
	t.Run("ReplyEmailDue", func(t *testing.T) {
		emailed := published
		emailed.EmailedAt = t0
		for _, tt := range []struct {
			name         string
			r            Reply
			unsubscribed bool
			now          time.Time
			want         bool
		}{
			{"first publication", published, false, t0, true},
			{"edit a minute later", emailed, false, t0.Add(time.Minute), false},
			{"edit just under a day later", emailed, false, t0.Add(ReplyEmailInterval - time.Second), false},
			{"edit a day later", emailed, false, t0.Add(ReplyEmailInterval), true},
			{"edit 25 hours later", emailed, false, t0.Add(25 * time.Hour), true},
			{"unsubscribed", published, true, t0, false},
			{"deleted", Reply{Status: ReplyDeleted}, false, t0, false},
		} {
			if got := ReplyEmailDue(tt.r, tt.unsubscribed, tt.now); got != tt.want {
				t.Errorf("%s: ReplyEmailDue = %v, want %v", tt.name, got, tt.want)
			}
		}
	})
}

func TestValidateBusinessDomains(t *testing.T) {
	base := BusinessInput{Name: "Shop", NotificationEmail: "ops@shop.example"}
	for _, tt := range []struct {
		domains []string
		field   string
	}{
		{nil, ""}, {[]string{"shop.example", "www.butik.example"}, ""},
		{[]string{"Shop.example"}, "domains[0]"}, {[]string{"ok.example", "localhost"}, "domains[1]"},
		{[]string{"https://shop.example"}, "domains[0]"}, {[]string{"-a.example"}, "domains[0]"},
		{strings.Split(strings.Repeat("a.example,", MaxBusinessDomains+1)[:len(strings.Repeat("a.example,", MaxBusinessDomains+1))-1], ","), "domains"},
	} {
		in := base
		in.Domains = tt.domains
		err := ValidateBusiness(in)
		e, _ := AsError(err)
		switch {
		case tt.field == "" && err != nil:
			t.Errorf("ValidateBusiness(%v) = %v, want nil", tt.domains, err)
		case tt.field != "" && (e == nil || e.Fields[tt.field] == ""):
			t.Errorf("ValidateBusiness(%v) = %v, want a problem on %s", tt.domains, err, tt.field)
		}
	}
}

// FuzzFindPersonalData: the detector never panics, and plain prose around
// the fuzzed numbers — dates, prices, times and order numbers shorter than
// a phone number — is never taken for personal data.
func FuzzFindPersonalData(f *testing.F) {
	f.Add("Thank you!", "Anna Lindqvist", uint16(2024), uint8(3), uint8(15), uint32(4711), uint16(1299))
	f.Add("+46 70 123 45 67 a@b.example SE45 5000 0000 0583 9825 7466", "", uint16(1999), uint8(12), uint8(31), uint32(9999999), uint16(5))
	f.Add("\xff\x00 4111 1111 1111 1111", "\u202E", uint16(0), uint8(0), uint8(0), uint32(0), uint16(0))
	f.Fuzz(func(t *testing.T, text, name string, year uint16, month, day uint8, order uint32, price uint16) {
		_ = FindPersonalData(text, name) // no panic on anything
		if !utf8.ValidString(text) {
			return
		}
		y, m, d := 1900+int(year)%200, 1+int(month)%12, 1+int(day)%28
		o := int(order) % 10_000_000 // fewer digits than a phone number
		prose := []string{
			fmt.Sprintf("Delivered on %04d-%02d-%02d.", y, m, d),
			fmt.Sprintf("Geliefert am %02d.%02d.%04d.", d, m, y),
			fmt.Sprintf("Shipped %02d/%02d/%04d.", m, d, y),
			fmt.Sprintf("Your order %d shipped.", o),
			fmt.Sprintf("Order #%d, %d kr.", o, price),
			fmt.Sprintf("It costs %d,%02d € or %d.%02d USD.", price, d, price, m),
			fmt.Sprintf("Open %02d.00-%02d.30 on %d %s.", d%24, m+8, d, "March"),
		}
		for _, p := range prose {
			if got := FindPersonalData(p, "Anna Lindqvist"); got != PersonalNone {
				t.Errorf("FindPersonalData(%q) = %q, want none", p, got)
			}
		}
	})
}

func TestReplyConsequences(t *testing.T) {
	t0 := time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)
	t1 := t0.Add(time.Hour)
	first := PublishReply(Reply{}, "Thanks", t0)
	if first != (Reply{Status: ReplyPublished, Text: "Thanks", Revision: 1, CreatedAt: t0, UpdatedAt: t0}) {
		t.Errorf("first publication = %+v", first)
	}
	edit := PublishReply(first, "Thanks again", t1)
	if edit.Revision != 2 || !edit.CreatedAt.Equal(t0) || !edit.UpdatedAt.Equal(t1) || edit.Text != "Thanks again" {
		t.Errorf("edit = %+v, want revision 2 created at t0, updated at t1", edit)
	}
	deleted := WithdrawReply(edit, ReplyDeleted, t1)
	if deleted.Exists() || deleted.Text != "" || deleted.Revision != 3 || deleted.Removals != 0 {
		t.Errorf("deleted = %+v", deleted)
	}
	removed := WithdrawReply(edit, ReplyRemoved, t1)
	if removed.Status != ReplyRemoved || removed.Removals != 1 {
		t.Errorf("removed = %+v, want one removal", removed)
	}
	again := PublishReply(deleted, "New reply", t1.Add(time.Hour))
	if !again.CreatedAt.Equal(t1.Add(time.Hour)) || again.Revision != 4 {
		t.Errorf("a reply after a deletion = %+v, want a new creation time and revision 4", again)
	}
}

func TestCheckReplyPrecondition(t *testing.T) {
	cur := Reply{Status: ReplyPublished, Revision: 3}
	tests := []struct {
		name    string
		cur     Reply
		ifMatch string
		ok      bool
	}{
		{"none asked", cur, "", true},
		{"current tag", cur, `"r3"`, true},
		{"weak current tag", cur, `W/"r3"`, true},
		{"one of a list", cur, `"r1", "r3"`, true},
		{"old tag", cur, `"r2"`, false},
		{"star with a reply", cur, "*", true},
		{"star without a reply", Reply{}, "*", false},
		{"tag of a deleted reply", Reply{Status: ReplyDeleted, Revision: 4}, `"r4"`, false},
		{"garbage", cur, "r3", false},
	}
	for _, tt := range tests {
		err := CheckReplyPrecondition(tt.cur, tt.ifMatch)
		if (err == nil) != tt.ok || (err != nil && KindOf(err) != KindPrecondition) {
			t.Errorf("%s: CheckReplyPrecondition(%q) = %v, want ok %v", tt.name, tt.ifMatch, err, tt.ok)
		}
	}
}

// BenchmarkCheckReply is the reply guidelines on a reply of the longest
// length: the text rule, the personal-data detector, the edit-request
// phrases and the link rule.
func BenchmarkCheckReply(b *testing.B) {
	text := strings.Repeat("Thank you for the review of order 4711 on 2026-03-15; we refunded 1 299,00 kr. See https://shop.example/help. ", 20)[:MaxReplyLength]
	in := ReplyInput{Text: text, ReviewerName: "Anna Lindqvist", BusinessLocale: LocaleSV, OwnDomains: []string{"shop.example"}}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := CheckReply(in); err != nil {
			b.Fatal(err)
		}
	}
}
