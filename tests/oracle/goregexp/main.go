// Reads JSON lines {"pattern": P, "input": S} and prints, per line, the submatches of Go's
// regexp (JSON array, null when no match) or {"error": true} when P does not compile.
package main

import (
	"bufio"
	"encoding/json"
	"fmt"
	"os"
	"regexp"
)

type job struct {
	Pattern string `json:"pattern"`
	Input   string `json:"input"`
}

func main() {
	in := bufio.NewScanner(os.Stdin)
	out := bufio.NewWriter(os.Stdout)
	defer out.Flush()
	for in.Scan() {
		var j job
		if err := json.Unmarshal(in.Bytes(), &j); err != nil {
			panic(err)
		}
		re, err := regexp.Compile(j.Pattern)
		if err != nil {
			fmt.Fprintln(out, `{"error":true}`)
			continue
		}
		b, _ := json.Marshal(re.FindStringSubmatch(j.Input))
		fmt.Fprintln(out, string(b))
	}
}
