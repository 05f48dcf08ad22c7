package docs

import "embed"

// Files are the repository's guides (docs/*.md), for the local stack to
// serve as pages.
//
//go:embed *.md
var Files embed.FS
