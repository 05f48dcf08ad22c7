// Package moderation is Candor's domain: businesses, reviews and their
// versions, reports and their items, compliance tickets, the reason catalogue
// and the policy rules of docs/product.md (P1–P13) as pure functions.
//
// Two files are where a rule starts: policy.go holds every window, limit
// and threshold (Policy, DefaultPolicy), one field per deployment
// parameter; decisions.go holds what each decision changes and who is told
// (Decide, CloseForNoProof, DecideAppeal, WhoIsTold, WhoIsToldOfAppeal).
//
// It knows nothing of AWS, HTTP or wire formats. Rule violations are returned
// as *Error values carrying a Kind (how the edge should classify them), a
// stable Code and, for input problems, field paths such as "items[0].excerpt".
package moderation
