package plan

import (
	"encoding/json"
	"reflect"
	"strings"
	"testing"
	"testing/fstest"
)

// TestLoadJSONStreamed checks that Load, decoding a JSON registry straight
// from its file, gives what Parse gives for the same bytes: the registry, or
// the same error.
func TestLoadJSONStreamed(t *testing.T) {
	good, err := json.Marshal(samplePlan())
	if err != nil {
		t.Fatal(err)
	}
	bad := strings.Replace(string(good), `"title"`, `"title" 1`, 1)
	unknown := strings.Replace(string(good), `"title"`, `"titel"`, 1)
	for _, text := range []string{string(good), " \r\n\t" + string(good), "\ufeff\n" + string(good), bad, "\n " + bad, unknown,
		strings.Repeat(" ", 5000) + string(good), "{", "id: x\n"} {
		want, _, werr := Parse([]byte(text))
		got, _, gerr := Load(fstest.MapFS{"plan.yaml": {Data: []byte(text)}}, "plan.yaml")
		if (werr == nil) != (gerr == nil) || (werr != nil && !strings.HasSuffix(gerr.Error(), werr.Error())) {
			t.Errorf("%.20q: Load error %v, Parse error %v", text, gerr, werr)
			continue
		}
		if werr == nil && !reflect.DeepEqual(got, want) {
			t.Errorf("%.20q: Load gave\n%+v\nParse gave\n%+v", text, got, want)
		}
	}
}
