package vapi_test

import (
	"context"
	"fmt"
	"io"
	"iter"
	"net/http"
	"net/http/httptest"
	"reflect"
	"strings"
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/govapi/vapi"
)

// serviceOp is a row of serviceOps (services_gen_test.go): one method,
// the request it must send and the answer it gets.
type serviceOp struct {
	name, method, path, answer string
	want                       string // the Go type of the answer, as %T prints it
	call                       func(ctx context.Context, c *vapi.Client) (any, error)
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
			srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				_, _ = io.Copy(io.Discard, r.Body)
				mu.Lock()
				got = append(got, r.Method+" "+r.URL.EscapedPath())
				mu.Unlock()
				w.Header().Set("Content-Type", "application/json")
				_, _ = io.WriteString(w, op.answer)
			}))
			defer srv.Close()
			c, err := vapi.NewClient(vapi.WithBaseURL(srv.URL), vapi.WithAPIKey(testAPIKey), vapi.WithMaxRetries(0))
			require.NoError(t, err)
			v, err := op.call(context.Background(), c)
			require.NoError(t, err)
			mu.Lock()
			defer mu.Unlock()
			assert.Equal(t, []string{op.method + " " + op.path}, got)
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
