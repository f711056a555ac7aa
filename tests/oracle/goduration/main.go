// Reads one duration per line and prints Go's verdict: "<nanoseconds> <String()>" or "error".
package main

import (
	"bufio"
	"fmt"
	"os"
	"time"
)

func main() {
	in := bufio.NewScanner(os.Stdin)
	out := bufio.NewWriter(os.Stdout)
	defer out.Flush()
	for in.Scan() {
		d, err := time.ParseDuration(in.Text())
		if err != nil {
			fmt.Fprintln(out, "error")
			continue
		}
		fmt.Fprintf(out, "%d %s\n", int64(d), d.String())
	}
}
