// The template oracle: renders batches of templates with Go's own text/template and Sprig
// (as Helm 3 registers them), so tests can compare skiff's lib/gotemplate + lib/sprig with Go.
//
// stdin: JSON array of cases; stdout: JSON array of results, one per case, {"output"} or
// {"error"}. Data is YAML parsed with sigs.k8s.io/yaml into map[string]interface{}, as Helm
// parses values files (so numbers are float64).
package main

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"
	"text/template"
	"time"

	"github.com/Masterminds/sprig"
	"sigs.k8s.io/yaml"
)

type testCase struct {
	Name       string            `json:"name"`
	Template   string            `json:"template"`
	Templates  map[string]string `json:"templates"`
	Data       string            `json:"data"`
	MissingKey string            `json:"missingkey"`
	Helm       bool              `json:"helm"`
	Execute    string            `json:"execute"`
	// Benchmark mode: execute every template of ExecuteAll BenchRuns times (after one warm-up
	// run) and report the mean time of one run, i.e. of rendering them all once.
	BenchRuns  int      `json:"benchRuns"`
	ExecuteAll []string `json:"executeAll"`
	// Also parse every template again in each run, as Helm does for every render.
	BenchParse bool `json:"benchParse"`
}

type result struct {
	Output      *string  `json:"output,omitempty"`
	Error       *string  `json:"error,omitempty"`
	NanosPerRun *float64 `json:"nanosPerRun,omitempty"`
}

func main() {
	input, err := io.ReadAll(os.Stdin)
	if err != nil {
		fail(err)
	}
	var cases []testCase
	if err := json.Unmarshal(input, &cases); err != nil {
		fail(err)
	}
	results := make([]result, len(cases))
	for i, c := range cases {
		results[i] = run(c)
	}
	out, err := json.Marshal(results)
	if err != nil {
		fail(err)
	}
	os.Stdout.Write(out)
}

func fail(err error) {
	fmt.Fprintln(os.Stderr, err)
	os.Exit(1)
}

func run(c testCase) (res result) {
	defer func() {
		if r := recover(); r != nil {
			msg := fmt.Sprintf("panic: %v", r)
			res = result{Error: &msg}
		}
	}()
	name := c.Name
	if name == "" {
		name = "t"
	}
	var data interface{}
	if c.Data != "" {
		m := map[string]interface{}{}
		if err := yaml.Unmarshal([]byte(c.Data), &m); err != nil {
			msg := "data: " + err.Error()
			return result{Error: &msg}
		}
		data = m
	}
	t := template.New(name)
	funcs := sprig.TxtFuncMap()
	delete(funcs, "env")
	delete(funcs, "expandenv")
	if c.Helm {
		addHelmFuncs(t, funcs)
	}
	t.Funcs(funcs)
	if c.MissingKey != "" {
		t.Option("missingkey=" + c.MissingKey)
	} else if c.Helm {
		t.Option("missingkey=zero")
	}
	if _, err := t.Parse(c.Template); err != nil {
		msg := err.Error()
		return result{Error: &msg}
	}
	for n, text := range c.Templates {
		if _, err := t.New(n).Parse(text); err != nil {
			msg := err.Error()
			return result{Error: &msg}
		}
	}
	if c.BenchRuns > 0 {
		return bench(t, c, data)
	}

	var b strings.Builder
	var err error
	if c.Execute != "" {
		err = t.ExecuteTemplate(&b, c.Execute, data)
	} else {
		err = t.Execute(&b, data)
	}
	if err != nil {
		msg := err.Error()
		return result{Error: &msg}
	}
	out := b.String()
	if c.Helm {
		out = strings.ReplaceAll(out, "<no value>", "")
	}
	return result{Output: &out}
}

func bench(t *template.Template, c testCase, data interface{}) result {
	runOnce := func() (string, error) {
		if c.BenchParse {
			t = template.New(t.Name())
			funcs := sprig.TxtFuncMap()
			addHelmFuncs(t, funcs)
			t.Funcs(funcs).Option("missingkey=zero")
			if _, err := t.Parse(c.Template); err != nil {
				return "", err
			}
			for n, text := range c.Templates {
				if _, err := t.New(n).Parse(text); err != nil {
					return "", err
				}
			}
		}
		var all strings.Builder
		for _, name := range c.ExecuteAll {
			var b strings.Builder
			if err := t.ExecuteTemplate(&b, name, data); err != nil {
				return "", err
			}
			all.WriteString(b.String())
		}
		return all.String(), nil
	}
	out, err := runOnce()
	if err != nil {
		msg := err.Error()
		return result{Error: &msg}
	}
	start := time.Now()
	for i := 0; i < c.BenchRuns; i++ {
		if _, err := runOnce(); err != nil {
			msg := err.Error()
			return result{Error: &msg}
		}
	}
	nanos := float64(time.Since(start).Nanoseconds()) / float64(c.BenchRuns)
	return result{Output: &out, NanosPerRun: &nanos}
}

// addHelmFuncs registers the functions Helm 3's engine adds to Sprig, written after their
// documented behaviour (helm.sh/helm/v3/pkg/engine).
func addHelmFuncs(t *template.Template, funcs template.FuncMap) {
	funcs["toYaml"] = func(v interface{}) string {
		data, err := yaml.Marshal(v)
		if err != nil {
			return ""
		}
		return strings.TrimSuffix(string(data), "\n")
	}
	funcs["fromYaml"] = func(s string) map[string]interface{} {
		m := map[string]interface{}{}
		if err := yaml.Unmarshal([]byte(s), &m); err != nil {
			m["Error"] = err.Error()
		}
		return m
	}
	funcs["fromYamlArray"] = func(s string) []interface{} {
		a := []interface{}{}
		if err := yaml.Unmarshal([]byte(s), &a); err != nil {
			a = []interface{}{err.Error()}
		}
		return a
	}
	funcs["toJson"] = func(v interface{}) string {
		data, err := json.Marshal(v)
		if err != nil {
			return ""
		}
		return string(data)
	}
	funcs["fromJson"] = func(s string) map[string]interface{} {
		m := map[string]interface{}{}
		if err := json.Unmarshal([]byte(s), &m); err != nil {
			m["Error"] = err.Error()
		}
		return m
	}
	funcs["fromJsonArray"] = func(s string) []interface{} {
		a := []interface{}{}
		if err := json.Unmarshal([]byte(s), &a); err != nil {
			a = []interface{}{err.Error()}
		}
		return a
	}
	funcs["required"] = func(warn string, val interface{}) (interface{}, error) {
		if val == nil {
			return val, errors.New(warn)
		} else if s, ok := val.(string); ok && s == "" {
			return val, errors.New(warn)
		}
		return val, nil
	}
	included := map[string]int{}
	funcs["include"] = includeFunc(t, included)
	funcs["tpl"] = tplFunc(t, included)
}

func includeFunc(t *template.Template, included map[string]int) func(string, interface{}) (string, error) {
	return func(name string, data interface{}) (string, error) {
		if included[name] > 1000 {
			return "", fmt.Errorf("rendering template has a nested reference name: %s: unable to execute template", name)
		}
		included[name]++
		defer func() { included[name]-- }()
		var b strings.Builder
		err := t.ExecuteTemplate(&b, name, data)
		return b.String(), err
	}
}

func tplFunc(parent *template.Template, included map[string]int) func(string, interface{}) (string, error) {
	return func(text string, vals interface{}) (string, error) {
		t, err := parent.Clone()
		if err != nil {
			return "", fmt.Errorf("cannot clone template: %w", err)
		}
		t.Option("missingkey=zero")
		t.Funcs(template.FuncMap{
			"include": includeFunc(t, included),
			"tpl":     tplFunc(t, included),
		})
		t, err = t.New(parent.Name()).Parse(text)
		if err != nil {
			return "", fmt.Errorf("cannot parse template %q: %w", text, err)
		}
		var b strings.Builder
		if err := t.Execute(&b, vals); err != nil {
			return "", fmt.Errorf("error during tpl function execution for %q: %w", text, err)
		}
		return strings.ReplaceAll(b.String(), "<no value>", ""), nil
	}
}
