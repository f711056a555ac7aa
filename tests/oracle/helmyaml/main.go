// Oracle for Helm's toYaml/toJson/fromYaml: reads a JSON array of YAML documents on stdin,
// parses each as Helm parses values (sigs.k8s.io/yaml, numbers become float64), and prints a
// JSON array of {toYaml, toJson} results computed as Helm's template functions compute them.
package main

import (
	"encoding/json"
	"os"
	"strings"

	"sigs.k8s.io/yaml"
)

type result struct {
	ToYaml string `json:"toYaml"`
	ToJson string `json:"toJson"`
	Error  string `json:"error,omitempty"`
}

func main() {
	var docs []string
	if err := json.NewDecoder(os.Stdin).Decode(&docs); err != nil {
		panic(err)
	}
	out := make([]result, 0, len(docs))
	for _, d := range docs {
		var v interface{}
		if err := yaml.Unmarshal([]byte(d), &v); err != nil {
			out = append(out, result{Error: err.Error()})
			continue
		}
		r := result{}
		if data, err := yaml.Marshal(v); err == nil {
			r.ToYaml = strings.TrimSuffix(string(data), "\n")
		}
		if data, err := json.Marshal(v); err == nil {
			r.ToJson = string(data)
		}
		out = append(out, r)
	}
	enc := json.NewEncoder(os.Stdout)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(out); err != nil {
		panic(err)
	}
}
