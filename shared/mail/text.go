package mail

import "github.com/candorhq/candor/shared/links"

// defang rewrites every web address in s that is not one an email may carry
// (under the base URL, or a page of the business portal) so that no mail
// client makes a link of it, keeping it readable: links.Defang, the
// detector every path that shows someone else's text shares.
func defang(l Links, s string) string {
	return links.Defang(s, l.owns)
}
