// Package brand names the platform Candor works for, the same on every
// reviewer page and in every email, so a reviewer asked for an order number
// knows which platform is asking.
package brand

import (
	"fmt"
	"net/url"
	"strings"
	"unicode/utf8"

	"github.com/candorhq/candor/shared/envconfig"
)

// Environment variables a function reads its brand from.
const (
	EnvName    = "PLATFORM_NAME"
	EnvLogoURL = "PLATFORM_LOGO_URL"
)

// DefaultName is the name used when no platform name is configured.
const DefaultName = "Candor"

// MaxNameLength is the longest platform name accepted, in characters.
const MaxNameLength = 60

// Brand is the platform's public face: the name reviewers know it by and an
// optional logo. The zero Brand is not valid; use Default or FromEnv.
type Brand struct {
	// Name is shown in page headers, titles, email headers and sender text.
	Name string
	// LogoURL is an absolute https URL of an image, or empty for none.
	LogoURL string
}

// Default is the brand when nothing is configured.
func Default() Brand { return Brand{Name: DefaultName} }

// New returns the brand for name and logoURL, or an error naming the field
// that is wrong: the name must be 1–60 characters without control
// characters, the logo an absolute https URL without credentials.
func New(name, logoURL string) (Brand, error) {
	name = strings.TrimSpace(name)
	if name == "" || utf8.RuneCountInString(name) > MaxNameLength {
		return Brand{}, fmt.Errorf("brand: name must be 1-%d characters", MaxNameLength)
	}
	for _, r := range name {
		if r < 0x20 || r == 0x7f {
			return Brand{}, fmt.Errorf("brand: name must not contain control characters")
		}
	}
	if logoURL != "" {
		u, err := url.Parse(logoURL)
		if err != nil || u.Scheme != "https" || u.Host == "" || u.User != nil {
			return Brand{}, fmt.Errorf("brand: logo URL must be an absolute https URL without credentials")
		}
	}
	return Brand{Name: name, LogoURL: logoURL}, nil
}

// FromEnv reads PLATFORM_NAME (default "Candor") and PLATFORM_LOGO_URL
// (default none). A bad value is returned as an error naming the variable.
func FromEnv(env *envconfig.Env) (Brand, error) {
	b, err := New(env.Optional(EnvName, DefaultName), env.Optional(EnvLogoURL, ""))
	if err != nil {
		return Brand{}, fmt.Errorf("%s/%s: %w", EnvName, EnvLogoURL, err)
	}
	return b, nil
}
