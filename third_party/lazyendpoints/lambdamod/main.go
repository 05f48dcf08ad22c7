// Command lambdamod writes the go.mod of Candor's Lambda builds into a
// directory (package lazyendpoints.WriteModFile): the SDK's endpoint tables
// and other package variables built on first use. With -write it first writes the patched files for the
// SDK versions go.mod requires, from the module cache, for review and
// commit. Run it from the repository's root:
//
//	go run ./third_party/lazyendpoints/lambdamod bin/.lambdamod
//	go build -modfile=bin/.lambdamod/go.mod ...
//	go run ./third_party/lazyendpoints/lambdamod -write
package main

import (
	"flag"
	"fmt"
	"os"
	"path/filepath"

	"github.com/candorhq/candor/third_party/lazyendpoints"
)

func main() {
	write := flag.Bool("write", false, "write the patched files of the required SDK versions")
	flag.Parse()
	if err := run(*write, flag.Args()); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
}

func run(write bool, args []string) error {
	if (write && len(args) > 1) || (!write && len(args) != 1) {
		return fmt.Errorf("usage: lambdamod [-write] [dir]")
	}
	root := "." // the repository's root: go run from there, as the Makefile does
	if write {
		mods, err := lazyendpoints.Required(root)
		if err != nil {
			return err
		}
		for _, m := range mods {
			files, err := m.Files()
			if err != nil {
				return err
			}
			dir := filepath.Join(root, filepath.FromSlash(m.PatchedDir()))
			if err := os.RemoveAll(dir); err != nil {
				return err
			}
			for rel, src := range files {
				out := filepath.Join(root, filepath.FromSlash(m.Patched(rel)))
				if err := os.MkdirAll(filepath.Dir(out), 0o755); err != nil {
					return err
				}
				if err := os.WriteFile(out, src, 0o644); err != nil {
					return err
				}
				fmt.Println("wrote", m.Patched(rel))
			}
		}
	}
	if len(args) == 1 {
		return lazyendpoints.WriteModFile(root, args[0])
	}
	return nil
}
