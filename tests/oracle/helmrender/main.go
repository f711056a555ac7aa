// Oracle for bench/helm: renders a simple chart directory (no subcharts) the way Helm's engine
// does — every template parsed into one set with Sprig and Helm's include/tpl/required/toYaml,
// executed with .Values/.Release/.Chart/.Capabilities/.Template, "<no value>" removed, output
// split and each document's head decoded (as SortManifests does) — N times, and prints the
// time per render and the last output in `helm template` form.
package main

import (
	"encoding/json"
	"fmt"
	"os"
	"path"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"text/template"
	"time"

	"github.com/Masterminds/sprig"
	"sigs.k8s.io/yaml"
)

type chartMeta struct {
	Name       string
	Version    string
	AppVersion string
	APIVersion string
	Type       string
}

type simpleHead struct {
	Version  string `json:"apiVersion"`
	Kind     string `json:"kind,omitempty"`
	Metadata *struct {
		Name        string            `json:"name"`
		Annotations map[string]string `json:"annotations"`
	} `json:"metadata,omitempty"`
}

var sep = regexp.MustCompile("(?:^|\\s*\n)---\\s*")

func toYAML(v interface{}) string {
	data, err := yaml.Marshal(v)
	if err != nil {
		return ""
	}
	return strings.TrimSuffix(string(data), "\n")
}

func funcMap(t *template.Template) template.FuncMap {
	f := sprig.TxtFuncMap()
	delete(f, "env")
	delete(f, "expandenv")
	f["toYaml"] = toYAML
	f["include"] = func(name string, data interface{}) (string, error) {
		var buf strings.Builder
		err := t.ExecuteTemplate(&buf, name, data)
		return buf.String(), err
	}
	f["tpl"] = func(tpl string, vals interface{}) (string, error) {
		c, err := t.Clone()
		if err != nil {
			return "", err
		}
		c, err = c.New(t.Name()).Parse(tpl)
		if err != nil {
			return "", err
		}
		var buf strings.Builder
		err = c.Execute(&buf, vals)
		return strings.ReplaceAll(buf.String(), "<no value>", ""), err
	}
	f["required"] = func(warn string, val interface{}) (interface{}, error) {
		if val == nil || val == "" {
			return val, fmt.Errorf(warn)
		}
		return val, nil
	}
	f["lookup"] = func(string, string, string, string) (map[string]interface{}, error) {
		return map[string]interface{}{}, nil
	}
	return f
}

func render(dir string, files map[string]string, vals map[string]interface{}) (string, error) {
	t := template.New("gotpl")
	t.Option("missingkey=zero")
	t.Funcs(funcMap(t))
	keys := make([]string, 0, len(files))
	for k := range files {
		keys = append(keys, k)
	}
	sort.Sort(sort.Reverse(sort.StringSlice(keys)))
	for _, k := range keys {
		if _, err := t.New(k).Parse(files[k]); err != nil {
			return "", err
		}
	}
	out := map[string]string{}
	for _, k := range keys {
		if strings.HasPrefix(path.Base(k), "_") {
			continue
		}
		vals["Template"] = map[string]interface{}{"Name": k, "BasePath": path.Join(path.Dir(k))}
		var buf strings.Builder
		if err := t.ExecuteTemplate(&buf, k, vals); err != nil {
			return "", err
		}
		out[k] = strings.ReplaceAll(buf.String(), "<no value>", "")
	}
	var b strings.Builder
	names := make([]string, 0, len(out))
	for k := range out {
		names = append(names, k)
	}
	sort.Strings(names)
	type doc struct {
		name, content, kind string
	}
	var docs []doc
	for _, n := range names {
		content := out[n]
		if strings.TrimSpace(content) == "" {
			continue
		}
		for _, d := range sep.Split(strings.TrimSpace(content), -1) {
			if d == "" {
				continue
			}
			d = strings.TrimSpace(d)
			var h simpleHead
			if err := yaml.Unmarshal([]byte(d), &h); err != nil {
				return "", err
			}
			docs = append(docs, doc{n, d, h.Kind})
		}
	}
	order := map[string]int{}
	for i, k := range []string{"PriorityClass", "Namespace", "NetworkPolicy", "ResourceQuota", "LimitRange", "PodSecurityPolicy", "PodDisruptionBudget", "ServiceAccount", "Secret", "SecretList", "ConfigMap", "StorageClass", "PersistentVolume", "PersistentVolumeClaim", "CustomResourceDefinition", "ClusterRole", "ClusterRoleList", "ClusterRoleBinding", "ClusterRoleBindingList", "Role", "RoleList", "RoleBinding", "RoleBindingList", "Service", "DaemonSet", "Pod", "ReplicationController", "ReplicaSet", "Deployment", "HorizontalPodAutoscaler", "StatefulSet", "Job", "CronJob", "IngressClass", "Ingress", "APIService", "MutatingWebhookConfiguration", "ValidatingWebhookConfiguration"} {
		order[k] = i
	}
	sort.SliceStable(docs, func(i, j int) bool { return order[docs[i].kind] < order[docs[j].kind] })
	for _, d := range docs {
		fmt.Fprintf(&b, "---\n# Source: %s\n%s\n", d.name, d.content)
	}
	return b.String(), nil
}

func main() {
	dir := os.Args[1]
	n, _ := strconv.Atoi(os.Args[2])
	var meta map[string]interface{}
	raw, _ := os.ReadFile(filepath.Join(dir, "Chart.yaml"))
	if err := yaml.Unmarshal(raw, &meta); err != nil {
		panic(err)
	}
	name := meta["name"].(string)
	files := map[string]string{}
	entries, _ := os.ReadDir(filepath.Join(dir, "templates"))
	for _, e := range entries {
		data, _ := os.ReadFile(filepath.Join(dir, "templates", e.Name()))
		files[name+"/templates/"+e.Name()] = string(data)
	}
	start := time.Now()
	var out string
	for i := 0; i < n; i++ {
		var values map[string]interface{}
		raw, _ := os.ReadFile(filepath.Join(dir, "values.yaml"))
		if err := yaml.Unmarshal(raw, &values); err != nil {
			panic(err)
		}
		vals := map[string]interface{}{
			"Values":  values,
			"Release": map[string]interface{}{"Name": "bench", "Namespace": "default", "Revision": 1, "Service": "Helm", "IsInstall": true, "IsUpgrade": false},
			"Chart":   chartMeta{Name: name, Version: meta["version"].(string), AppVersion: fmt.Sprint(meta["appVersion"]), APIVersion: "v2", Type: "application"},
			"Capabilities": map[string]interface{}{
				"KubeVersion": map[string]interface{}{"Version": "v1.20.0", "Major": "1", "Minor": "20"},
			},
		}
		var err error
		out, err = render(dir, files, vals)
		if err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(1)
		}
	}
	elapsed := time.Since(start)
	res := map[string]interface{}{
		"msPerRender": float64(elapsed.Microseconds()) / 1000 / float64(n),
		"output":      out,
	}
	_ = json.NewEncoder(os.Stdout).Encode(res)
}
