package stack

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"time"
)

// Demo is the seeded demo platform and ready-made tokens for each role.
type Demo struct {
	Businesses []DemoBusiness
	Compliance string // token for agent "agent-ada"
	Platform   string // token for the platform
}

// DemoBusiness is a seeded business with its reviews and a token for it.
type DemoBusiness struct {
	ID, Name string
	Token    string // role business, sub "owner@<id>"
	Reviews  []string
}

type demoReview struct {
	id, source, title, text, reviewer, locale string
	stars                                     int
}

// demoReviews are written by the platform through the API, as in production.
var demoData = []struct {
	id, name, email, locale string
	reviews                 []demoReview
}{
	{"acme-coffee", "Acme Coffee Roasters", "support@acme-coffee.example", "en", []demoReview{
		{"rev-acme-01", "organic", "Never arrived", "I ordered two bags of beans and they never arrived. The owner is a fraud and should be in jail.", "Sam Taylor", "en", 1},
		{"rev-acme-02", "organic", "Best espresso in town", "Smooth, rich and fresh. Delivery took two days.", "Priya Shah", "en", 5},
		{"rev-acme-03", "invited_platform", "Good but pricey", "Great beans, but the shipping costs are steep.", "Lena Berg", "sv", 3},
		{"rev-acme-04", "invited_other", "Who is this?", "Terrible service, call me on +46 70 123 45 67 if you want the details.", "J. Doe", "en", 1},
		{"rev-acme-05", "organic", "Buy from BeanKing instead", "BeanKing.example has better prices, use code SAVE20 there!", "Max Mustermann", "de", 1},
		{"rev-acme-06", "invited_platform", "Lovely gift box", "Bought the gift box for my father; he loved it.", "Ingrid Holm", "sv", 5},
	}},
	{"nordic-bikes", "Nordic Bikes AB", "kundtjanst@nordic-bikes.example", "sv", []demoReview{
		{"rev-nb-01", "organic", "Cykeln gick sönder", "Ramen sprack efter en vecka och ingen svarade på mina mejl.", "Erik Lund", "sv", 1},
		{"rev-nb-02", "invited_other", "Snabb service", "Reparationen gick snabbt och personalen var trevlig.", "Anna Ek", "sv", 4},
		{"rev-nb-03", "invited_platform", "Bra val", "Bra cyklar till rimliga priser.", "Karin Sjö", "sv", 4},
		{"rev-nb-04", "organic", "Politics", "This company supports the wrong party, boycott them all.", "Anon Rider", "en", 1},
		{"rev-nb-05", "invited_other", "Falsches Unternehmen", "Ich habe mein Rad bei einem anderen Händler gekauft, aber egal.", "Jonas Weber", "de", 2},
		{"rev-nb-06", "organic", "Okay", "Helt okej, inget särskilt.", "Olle Berg", "sv", 3},
	}},
}

// seed writes the demo platform through the platform API and mints tokens.
func seed(ctx context.Context, s *Stack) (*Demo, error) {
	d := demoTokens(s)
	for _, b := range demoData {
		if err := s.put(ctx, d.Platform, "/v1/platform/businesses/"+b.id, map[string]any{
			"name": b.name, "notificationEmail": b.email, "locale": b.locale,
		}); err != nil {
			return nil, err
		}
		for i, r := range b.reviews {
			if err := s.put(ctx, d.Platform, "/v1/platform/reviews/"+r.id, map[string]any{
				"businessId": b.id, "stars": r.stars, "title": r.title, "text": r.text, "source": r.source,
				"experienceDate": s.Clock.Now().AddDate(0, 0, -10-i).Format(time.DateOnly),
				"reviewer":       map[string]any{"email": fmt.Sprintf("reviewer+%s@example.org", r.id), "name": r.reviewer, "locale": r.locale},
			}); err != nil {
				return nil, err
			}
		}
	}
	return d, nil
}

// demoTokens is the demo platform as the banner shows it, with fresh
// tokens: after seed, or when a data directory holds a seeded platform.
func demoTokens(s *Stack) *Demo {
	const ttl = 30 * 24 * time.Hour
	d := &Demo{Platform: s.Token("platform-seeder", "platform", "", ttl), Compliance: s.Token("agent-ada", "compliance", "", ttl)}
	for _, b := range demoData {
		db := DemoBusiness{ID: b.id, Name: b.name, Token: s.Token("owner@"+b.id, "business", b.id, ttl)}
		for _, r := range b.reviews {
			db.Reviews = append(db.Reviews, r.id)
		}
		d.Businesses = append(d.Businesses, db)
	}
	return d
}

// put sends a platform PUT through the local gateway, as the platform would.
func (s *Stack) put(ctx context.Context, token, path string, body any) error {
	b, err := json.Marshal(body)
	if err != nil {
		return err
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPut, s.APIURL+path, bytes.NewReader(b))
	if err != nil {
		return err
	}
	req.Header.Set("Authorization", "Bearer "+token)
	req.Header.Set("Content-Type", "application/json")
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		return fmt.Errorf("PUT %s: %w", path, err)
	}
	defer res.Body.Close()
	if res.StatusCode/100 != 2 {
		msg, _ := io.ReadAll(io.LimitReader(res.Body, 4096))
		return fmt.Errorf("PUT %s: %s: %s", path, res.Status, msg)
	}
	return nil
}
