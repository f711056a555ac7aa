// Semver oracle: reads tab-separated queries on stdin, one per line, and answers each with
// Masterminds/semver v3 (Debian's golang-github-masterminds-semver-dev), one line per query.
//
//	check <TAB> constraint <TAB> version  ->  true | false | badconstraint | badversion
//	compare <TAB> a <TAB> b               ->  -1 | 0 | 1 | badversion
//	parse <TAB> v                         ->  canonical form | badversion
//	strict <TAB> v                        ->  canonical form | badversion
//	filter <TAB> pattern <TAB> extract <TAB> tag  ->  kept value | nomatch | badpattern
//	  (Flux's filterTags: Go's regexp and Regexp.ExpandString, an empty extract keeps the tag)
package main

import (
	"bufio"
	"fmt"
	"os"
	"regexp"
	"strings"

	"github.com/Masterminds/semver"
)

func main() {
	in := bufio.NewScanner(os.Stdin)
	in.Buffer(make([]byte, 1<<20), 1<<20)
	out := bufio.NewWriter(os.Stdout)
	defer out.Flush()
	for in.Scan() {
		f := strings.Split(in.Text(), "\t")
		fmt.Fprintln(out, answer(f))
	}
}

func answer(f []string) string {
	switch f[0] {
	case "check":
		c, err := semver.NewConstraint(f[1])
		if err != nil {
			return "badconstraint"
		}
		v, err := semver.NewVersion(f[2])
		if err != nil {
			return "badversion"
		}
		return fmt.Sprint(c.Check(v))
	case "compare":
		a, err := semver.NewVersion(f[1])
		if err != nil {
			return "badversion"
		}
		b, err := semver.NewVersion(f[2])
		if err != nil {
			return "badversion"
		}
		return fmt.Sprint(a.Compare(b))
	case "parse":
		v, err := semver.NewVersion(f[1])
		if err != nil {
			return "badversion"
		}
		return v.String()
	case "strict":
		v, err := semver.StrictNewVersion(f[1])
		if err != nil {
			return "badversion"
		}
		return v.String()
	case "filter":
		re, err := regexp.Compile(f[1])
		if err != nil {
			return "badpattern"
		}
		m := re.FindStringSubmatchIndex(f[3])
		if m == nil {
			return "nomatch"
		}
		if f[2] == "" {
			return f[3]
		}
		return string(re.ExpandString(nil, f[2], f[3], m))
	}
	return "unknown query"
}
