// Oracle for the API emulator, built from Debian's Go libraries:
//
//	ssa-oracle ssa < steps.json        runs a sequence of applies/updates with
//	                                   structured-merge-diff (the library kube-apiserver uses)
//	                                   over the schema kube-openapi's schemaconv makes from the
//	                                   OpenAPI v2 document, and prints the object and managed
//	                                   fields after each step (or its error).
//	ssa-oracle openapi-pb < swagger.json   encodes the OpenAPI v2 document as the protobuf
//	                                   kubectl asks /openapi/v2 for.
package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io/ioutil"
	"os"

	"github.com/golang/protobuf/proto"
	openapi_v2 "github.com/googleapis/gnostic/OpenAPIv2"
	"k8s.io/kube-openapi/pkg/schemaconv"
	kproto "k8s.io/kube-openapi/pkg/util/proto"
	"sigs.k8s.io/structured-merge-diff/v4/fieldpath"
	"sigs.k8s.io/structured-merge-diff/v4/merge"
	"sigs.k8s.io/structured-merge-diff/v4/typed"
)

type step struct {
	Op      string                 `json:"op"`
	Manager string                 `json:"manager"`
	Object  map[string]interface{} `json:"object"`
	Force   bool                   `json:"force"`
}

type input struct {
	Swagger string `json:"swagger"`
	Type    string `json:"type"`
	Version string `json:"version"`
	Steps   []step `json:"steps"`
}

type stepResult struct {
	Object   interface{}            `json:"object,omitempty"`
	Managers map[string]interface{} `json:"managers,omitempty"`
	Error    string                 `json:"error,omitempty"`
	Conflict []string               `json:"conflicts,omitempty"`
}

type noConversion struct{}

func (noConversion) Convert(o *typed.TypedValue, _ fieldpath.APIVersion) (*typed.TypedValue, error) {
	return o, nil
}
func (noConversion) IsMissingVersionError(error) bool { return false }

func fail(err error) {
	fmt.Fprintln(os.Stderr, err)
	os.Exit(1)
}

func main() {
	if len(os.Args) < 2 {
		fail(fmt.Errorf("usage: ssa-oracle ssa|openapi-pb"))
	}
	stdin, err := ioutil.ReadAll(os.Stdin)
	if err != nil {
		fail(err)
	}
	switch os.Args[1] {
	case "openapi-pb":
		doc, err := openapi_v2.ParseDocument(stdin)
		if err != nil {
			fail(err)
		}
		out, err := proto.Marshal(doc)
		if err != nil {
			fail(err)
		}
		os.Stdout.Write(out)
	case "ssa":
		runSSA(stdin)
	default:
		fail(fmt.Errorf("unknown mode %q", os.Args[1]))
	}
}

func runSSA(stdin []byte) {
	var in input
	if err := json.Unmarshal(stdin, &in); err != nil {
		fail(err)
	}
	swagger, err := ioutil.ReadFile(in.Swagger)
	if err != nil {
		fail(err)
	}
	doc, err := openapi_v2.ParseDocument(swagger)
	if err != nil {
		fail(err)
	}
	models, err := kproto.NewOpenAPIData(doc)
	if err != nil {
		fail(err)
	}
	s, err := schemaconv.ToSchema(models)
	if err != nil {
		fail(err)
	}
	parser := &typed.Parser{Schema: *s}
	pt := parser.Type(in.Type)
	updater := merge.Updater{Converter: noConversion{}}
	version := fieldpath.APIVersion(in.Version)

	live, err := pt.FromUnstructured(map[string]interface{}{})
	if err != nil {
		fail(err)
	}
	managers := fieldpath.ManagedFields{}
	results := []stepResult{}
	for _, st := range in.Steps {
		obj, err := pt.FromUnstructured(st.Object)
		if err != nil {
			results = append(results, stepResult{Error: err.Error()})
			continue
		}
		var next *typed.TypedValue
		var nextManagers fieldpath.ManagedFields
		if st.Op == "apply" {
			next, nextManagers, err = updater.Apply(live, obj, version, managers, st.Manager, st.Force)
		} else {
			next, nextManagers, err = updater.Update(live, obj, version, managers, st.Manager)
		}
		if err != nil {
			r := stepResult{Error: err.Error()}
			if conflicts, ok := err.(merge.Conflicts); ok {
				for _, c := range conflicts {
					r.Conflict = append(r.Conflict, c.Manager+" "+c.Path.String())
				}
			}
			results = append(results, r)
			continue
		}
		if next != nil {
			live = next
		}
		managers = nextManagers
		r := stepResult{Object: live.AsValue().Unstructured(), Managers: map[string]interface{}{}}
		for name, set := range managers {
			js, err := set.Set().ToJSON()
			if err != nil {
				fail(err)
			}
			var v interface{}
			if err := json.NewDecoder(bytes.NewReader(js)).Decode(&v); err != nil {
				fail(err)
			}
			r.Managers[name] = v
		}
		results = append(results, r)
	}
	out, err := json.Marshal(results)
	if err != nil {
		fail(err)
	}
	os.Stdout.Write(out)
}
