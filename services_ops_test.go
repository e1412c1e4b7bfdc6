package vapi_test

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"iter"
	"net/http"
	"net/http/httptest"
	"net/url"
	"reflect"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/govapi/vapi"
)

// serviceOp is a row of serviceOps (services_gen_test.go): one method,
// the request it must send and the answer it gets.
type serviceOp struct {
	name, method, path string
	query              string // the query parameters sent, sorted, comma-separated
	body               string // the body the call sends ("" for none): every member must arrive
	answer             string
	want               string // the Go type of the answer, as %T prints it
	call               func(ctx context.Context, c *vapi.Client, body []byte) (any, error)
}

// decodeBody is the request body of type T that data spells.
func decodeBody[T any](data []byte) *T {
	v := new(T)
	if err := json.Unmarshal(data, v); err != nil {
		panic(fmt.Sprintf("decodeBody[%T]: %v", v, err))
	}
	return v
}

// fillParams sets every field of the params p points to, so that every
// query parameter is sent.
func fillParams[P any](p *P) *P {
	rv := reflect.ValueOf(p).Elem()
	for i := 0; i < rv.NumField(); i++ {
		setSampleValue(rv.Field(i))
	}
	return p
}

// setSampleValue puts a value that is not the zero value in f.
func setSampleValue(f reflect.Value) {
	switch f.Kind() {
	case reflect.Pointer:
		f.Set(reflect.New(f.Type().Elem()))
		setSampleValue(f.Elem())
	case reflect.Slice:
		f.Set(reflect.MakeSlice(f.Type(), 1, 1))
		setSampleValue(f.Index(0))
	case reflect.String:
		f.SetString("x")
	case reflect.Int, reflect.Int64:
		f.SetInt(7)
	case reflect.Float64:
		f.SetFloat(0.5)
	case reflect.Bool:
		f.SetBool(true)
	case reflect.Struct:
		if f.Type() == reflect.TypeFor[time.Time]() {
			f.Set(reflect.ValueOf(time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)))
		}
	}
}

// first is the first item of a ListAll walk (nil when there is none).
func first[T any](seq iter.Seq2[T, error]) (any, error) {
	for v, err := range seq {
		return v, err
	}
	return nil, nil
}

func TestEveryServiceMethodCallsItsOperation(t *testing.T) {
	require.NotEmpty(t, serviceOps)
	for _, op := range serviceOps {
		t.Run(op.name+" sends "+op.method+" "+op.path+" and decodes the answer", func(t *testing.T) {
			var mu sync.Mutex
			var got []string
			var gotQuery url.Values
			var gotBody []byte
			srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				b, _ := io.ReadAll(r.Body)
				mu.Lock()
				got = append(got, r.Method+" "+r.URL.EscapedPath())
				gotQuery, gotBody = r.URL.Query(), b
				mu.Unlock()
				w.Header().Set("Content-Type", "application/json")
				_, _ = io.WriteString(w, op.answer)
			}))
			defer srv.Close()
			c, err := vapi.NewClient(vapi.WithBaseURL(srv.URL), vapi.WithAPIKey(testAPIKey), vapi.WithMaxRetries(0))
			require.NoError(t, err)
			v, err := op.call(context.Background(), c, []byte(op.body))
			require.NoError(t, err)
			mu.Lock()
			defer mu.Unlock()
			assert.Equal(t, []string{op.method + " " + op.path}, got)
			var keys []string
			for k := range gotQuery {
				keys = append(keys, k)
			}
			sort.Strings(keys)
			assert.Equal(t, op.query, strings.Join(keys, ","), "every query parameter set is sent, and nothing else")
			if op.body == "" {
				assert.Empty(t, gotBody, "no body")
			} else {
				var want, sent map[string]any
				require.NoError(t, json.Unmarshal([]byte(op.body), &want))
				require.NoError(t, json.Unmarshal(gotBody, &sent), "the body is a JSON object: %s", gotBody)
				for k, v := range want {
					assert.Equal(t, v, sent[k], "body member %s arrives as set", k)
				}
			}
			assert.Equal(t, op.want, fmt.Sprintf("%T", v), "the answer decodes to its type")
			if op.want != "<nil>" {
				assert.NotNil(t, v, "the answer decodes to a value")
			}
		})
	}
}

// specialMethods are written by hand with signatures of their own and
// tested by hand: streams, uploads, downloads, the two shapes of POST /call.
var specialMethods = map[string]bool{
	"Calls.Create": true, "Calls.CreateBatch": true, "Calls.ArtifactURL": true, "Calls.DownloadArtifact": true,
	"Files.Upload": true, "Chats.Create": true, "Chats.CreateResponse": true, "Chats.Stream": true, "Chats.StreamResponse": true,
}

func TestTheOperationTableCoversEveryServiceMethod(t *testing.T) {
	rows := map[string]bool{}
	for _, op := range serviceOps {
		rows[op.name] = true
	}
	c, err := vapi.NewClient(vapi.WithAPIKey(testAPIKey))
	require.NoError(t, err)
	v := reflect.ValueOf(c).Elem()
	n := 0
	for i := 0; i < v.NumField(); i++ {
		f := v.Type().Field(i)
		if !f.IsExported() || f.Type.Kind() != reflect.Pointer || !strings.HasSuffix(f.Type.Elem().Name(), "Service") {
			continue
		}
		for j := 0; j < f.Type.NumMethod(); j++ {
			name := f.Name + "." + f.Type.Method(j).Name
			n++
			if specialMethods[name] {
				assert.Falsef(t, rows[name], "%s is special and in the table", name)
				continue
			}
			assert.Truef(t, rows[name], "no row of serviceOps calls %s", name)
		}
	}
	assert.Greater(t, n, 140, "the services were found")
}
