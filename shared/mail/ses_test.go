package mail

import (
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"

	"github.com/candorhq/candor/shared/brand"
	"github.com/candorhq/candor/shared/envconfig"
)

func mailEnv(extra map[string]string) *envconfig.Env {
	m := map[string]string{"PUBLIC_BASE_URL": testBase, "SENDER_ADDRESS": "no-reply@reviews.example.com",
		"BUSINESS_REPORT_URL": testReportPage, "BUSINESS_REQUEST_URL": testRequestPage}
	for k, v := range extra {
		m[k] = v
	}
	return envconfig.FromMap(m)
}

func TestSenderFromEnvNamesThePlatform(t *testing.T) {
	tests := []struct {
		name      string
		env       map[string]string
		from      string
		brandName string
		logo      string
	}{
		{"default", nil, `"Candor" <no-reply@reviews.example.com>`, "Candor", ""},
		{"configured", map[string]string{brand.EnvName: "Reviewly", brand.EnvLogoURL: "https://cdn.reviewly.example/logo.png"},
			`"Reviewly" <no-reply@reviews.example.com>`, "Reviewly", "https://cdn.reviewly.example/logo.png"},
		{"own display name kept", map[string]string{"SENDER_ADDRESS": "Reviews <no-reply@reviews.example.com>", brand.EnvName: "Reviewly"},
			`"Reviews" <no-reply@reviews.example.com>`, "Reviewly", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s, _, err := SenderFromEnv(mailEnv(tt.env), aws.Config{Region: "eu-west-1"})
			if err != nil {
				t.Fatalf("SenderFromEnv: %v", err)
			}
			if s.from != tt.from {
				t.Errorf("from = %q, want %q", s.from, tt.from)
			}
			got, err := s.r.Render("en", ReviewReinstatedForReviewer{BusinessName: "Acme Coffee"})
			if err != nil {
				t.Fatalf("Render: %v", err)
			}
			if !strings.Contains(got.Text, "The "+tt.brandName+" compliance team") {
				t.Errorf("the email is not signed by the %s compliance team:\n%s", tt.brandName, got.Text)
			}
			if tt.logo != "" && !strings.Contains(got.HTML, `<img src="`+tt.logo+`" alt="`+tt.brandName+`"`) {
				t.Errorf("the email does not show the logo with the platform's name as alt text:\n%s", got.HTML)
			}
		})
	}
}

func TestSenderFromEnvRefusesABadBrand(t *testing.T) {
	_, _, err := SenderFromEnv(mailEnv(map[string]string{brand.EnvLogoURL: "http://cdn.example/logo.png"}), aws.Config{Region: "eu-west-1"})
	if err == nil || !strings.Contains(err.Error(), brand.EnvLogoURL) {
		t.Errorf("SenderFromEnv with an http logo: %v, want an error naming %s", err, brand.EnvLogoURL)
	}
}
