// Reads one constraint per line and prints "ok" when Masterminds semver v3 parses it, else "error".
package main

import (
	"bufio"
	"fmt"
	"os"

	"github.com/Masterminds/semver"
)

func main() {
	in := bufio.NewScanner(os.Stdin)
	out := bufio.NewWriter(os.Stdout)
	defer out.Flush()
	for in.Scan() {
		if _, err := semver.NewConstraint(in.Text()); err != nil {
			fmt.Fprintln(out, "error")
		} else {
			fmt.Fprintln(out, "ok")
		}
	}
}
