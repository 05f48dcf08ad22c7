// Command gen writes statemachines/<name>.asl.json from each source
// statemachines/src/<name>.yaml (package infra/statemachines): run from the
// repository's root, as `make generate-statemachines` does.
package main

import (
	"fmt"
	"maps"
	"os"
	"path/filepath"
	"slices"

	"github.com/candorhq/candor/infra/statemachines"
)

func main() {
	files, err := statemachines.Generate(".")
	if err == nil && len(files) == 0 {
		err = fmt.Errorf("no statemachines/src/*.yaml here: run from the repository's root")
	}
	for _, path := range slices.Sorted(maps.Keys(files)) {
		if err != nil {
			break
		}
		err = os.WriteFile(filepath.FromSlash(path), files[path], 0o644)
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "generate state machines:", err)
		os.Exit(1)
	}
}
