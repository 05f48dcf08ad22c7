package dsa

import (
	"fmt"
	"slices"
	"strings"
)

// The country codes the Transparency Database accepts in territorial_scope
// (its EuropeanCountriesService): the 27 EU member states and Iceland,
// Liechtenstein and Norway, in alphabetical order.
var (
	euCountries = [...]string{
		"AT", "BE", "BG", "CY", "CZ", "DE", "DK", "EE", "ES", "FI", "FR", "GR", "HR", "HU",
		"IE", "IT", "LT", "LU", "LV", "MT", "NL", "PL", "PT", "RO", "SE", "SI", "SK",
	}
	eeaCountries = [...]string{
		"AT", "BE", "BG", "CY", "CZ", "DE", "DK", "EE", "ES", "FI", "FR", "GR", "HR", "HU",
		"IE", "IS", "IT", "LI", "LT", "LU", "LV", "MT", "NL", "NO", "PL", "PT", "RO", "SE", "SI", "SK",
	}
)

// EUCountries returns the codes of the 27 EU member states, sorted. The
// caller owns the slice.
func EUCountries() []string { return slices.Clone(euCountries[:]) }

// EEACountries returns the codes of the 30 EEA countries (the EU, Iceland,
// Liechtenstein, Norway), sorted. The caller owns the slice.
func EEACountries() []string { return slices.Clone(eeaCountries[:]) }

// ParseTerritorialScope reads a deployment parameter: "EEA", "EU", or a
// comma-separated list of EU/EEA country codes such as "DE,AT, SE"
// (case-insensitive, blanks around codes ignored). It returns the codes
// sorted, or an error naming the first code that is not an EU/EEA country or
// is repeated.
func ParseTerritorialScope(s string) ([]string, error) {
	switch strings.ToUpper(strings.TrimSpace(s)) {
	case "EEA":
		return EEACountries(), nil
	case "EU":
		return EUCountries(), nil
	case "":
		return nil, fmt.Errorf("dsa territorial scope: empty: give EEA, EU or country codes")
	}
	var out []string
	for _, part := range strings.Split(s, ",") {
		c := strings.ToUpper(strings.TrimSpace(part))
		switch {
		case !slices.Contains(eeaCountries[:], c):
			return nil, fmt.Errorf("dsa territorial scope: %q is not an EU/EEA country code", strings.TrimSpace(part))
		case slices.Contains(out, c):
			return nil, fmt.Errorf("dsa territorial scope: %q appears twice", c)
		}
		out = append(out, c)
	}
	slices.Sort(out)
	return out, nil
}
