package reviewerpage

import (
	"context"
	"strings"
)

// html returns p as an HTML document, written by the templ component
// pageHTML (page.templ). Writing into memory cannot fail; an error would be
// a bug of the component, and is returned for the caller to answer 500.
func (p *page) html() (string, error) {
	var b strings.Builder
	b.Grow(8 << 10)
	if err := pageHTML(p).Render(context.Background(), &b); err != nil {
		return "", err
	}
	return b.String(), nil
}

// describedBy is the aria-describedby of f's control: its hint, and its
// error when it has one.
func (f *field) describedBy() string {
	if f.Error != "" {
		return f.Name + "-hint " + f.Name + "-error"
	}
	return f.Name + "-hint"
}
