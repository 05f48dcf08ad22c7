package brand

import (
	"strings"
	"testing"

	"github.com/candorhq/candor/shared/envconfig"
)

func TestNew(t *testing.T) {
	cases := []struct {
		name, logo string
		wantErr    bool
	}{
		{"Recensio", "", false},
		{"  Recensio  ", "https://cdn.example.com/logo.png", false},
		{"", "", true},
		{strings.Repeat("x", MaxNameLength+1), "", true},
		{"Bad\nName", "", true},
		{"Recensio", "http://cdn.example.com/logo.png", true},
		{"Recensio", "https://user:pw@cdn.example.com/logo.png", true},
		{"Recensio", "/logo.png", true},
	}
	for _, c := range cases {
		b, err := New(c.name, c.logo)
		if (err != nil) != c.wantErr {
			t.Errorf("New(%q, %q) error = %v, want error %v", c.name, c.logo, err, c.wantErr)
		}
		if err == nil && b.Name != strings.TrimSpace(c.name) {
			t.Errorf("New(%q) name = %q", c.name, b.Name)
		}
	}
}

func TestFromEnvDefaultsToCandor(t *testing.T) {
	b, err := FromEnv(envconfig.FromMap(nil))
	if err != nil || b != Default() {
		t.Fatalf("FromEnv(empty) = %+v, %v; want %+v", b, err, Default())
	}
	if _, err := FromEnv(envconfig.FromMap(map[string]string{EnvLogoURL: "ftp://x"})); err == nil || !strings.Contains(err.Error(), EnvLogoURL) {
		t.Fatalf("FromEnv(bad logo) error = %v, want one naming %s", err, EnvLogoURL)
	}
}
