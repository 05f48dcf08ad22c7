package links

import "strings"

// Host returns the host name of an address Find found, as a comparison
// needs it: lower case, with the dots browsers accept as ".", without
// scheme, user information, port, path or a final dot
// ("HTTPS://user@Shop.Example:8443/a" → "shop.example").
func Host(address string) string {
	m := address
	if i := strings.Index(m, "://"); i >= 0 {
		m = m[i+3:]
	}
	m = strings.TrimLeft(m, `/\`)
	if i := strings.IndexAny(m, `/\?#`); i >= 0 {
		m = m[:i]
	}
	if i := strings.LastIndexByte(m, '@'); i >= 0 {
		m = m[i+1:]
	}
	if i := strings.LastIndexByte(m, ':'); i >= 0 && !strings.Contains(m[i:], "]") {
		m = m[:i]
	}
	m = strings.NewReplacer("。", ".", "．", ".", "｡", ".").Replace(m)
	return strings.TrimSuffix(strings.ToLower(m), ".")
}
