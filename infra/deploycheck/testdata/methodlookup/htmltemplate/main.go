// Command htmltemplate executes an html/template template: the
// method-lookup check must find reflect.Value.MethodByName in its binary.
package main

import (
	"html/template"
	"os"
)

func main() {
	t := template.Must(template.New("page").Parse(`<p>{{.}}</p>`))
	if err := t.Execute(os.Stdout, os.Args); err != nil {
		os.Exit(1)
	}
}
