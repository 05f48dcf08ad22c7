// Command touchpages allocates PAGES pages of memory (4 KiB each) and
// writes one byte to each: the first touch of each page is a page fault.
// BenchmarkPageFaultCost runs it with and without pages to find what one
// fault costs on the machine it runs on.
package main

import (
	"os"
	"strconv"
)

func main() {
	n, err := strconv.Atoi(os.Getenv("PAGES"))
	if err != nil || n < 0 {
		os.Exit(2)
	}
	b := make([]byte, n*4096) // a large allocation: fresh memory, not zeroed by the runtime
	for i := 0; i < len(b); i += 4096 {
		b[i] = 1
	}
	if n > 0 && b[len(b)-4096] != 1 { // reads b, so that the writes stay
		os.Exit(1)
	}
}
