// Package misuse passes values where markup.Builder.Markup wants constants;
// it must not compile (see TestMarkupTakesOnlyConstants).
package misuse

import "github.com/candorhq/candor/shared/markup"

func write(w *markup.Builder, name string) {
	w.Markup(name)
	w.Markup("<p>" + name + "</p>")
}
