package vapi_test

// Tests that replay the HTTP exchanges recorded under testdata/cassettes,
// and guard tests over the cassette files themselves. See
// testdata/cassettes/README.md for how to re-record them.

import (
	"context"
	"encoding/json"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	vcr "gopkg.in/dnaeon/go-vcr.v3/cassette"

	"github.com/govapi/vapi"
	"github.com/govapi/vapi/internal/cassette"
	"github.com/govapi/vapi/internal/jsonkeys"
	"github.com/govapi/vapi/vapitest"
)

// Ids of resources a session can point at. Recording against the live API
// needs real ones from the account, given in these environment variables;
// vapitest takes the fallbacks.
const (
	cassetteAssistantEnv   = "VAPI_TEST_ASSISTANT_ID"
	cassetteAssistantID    = "00000000-0000-4000-8000-0000000a0001"
	cassettePhoneNumberEnv = "VAPI_TEST_PHONE_NUMBER_ID"
	cassettePhoneNumberID  = "00000000-0000-4000-8000-0000000b0001"
)

// cassetteTests are the cassette-driven tests; the name of each is the name
// of its cassette.
var cassetteTests = []struct {
	name string
	opts cassette.Options
	test func(t *testing.T, ctx context.Context, c *cassette.Cassette)
}{
	{name: "create_assistant_id", test: func(t *testing.T, ctx context.Context, c *cassette.Cassette) {
		assistantID := c.Var(t, "assistantId", cassetteAssistantEnv, cassetteAssistantID)
		s := cassetteCreate(t, ctx, c, &vapi.CreateSessionRequest{
			Name:        vapi.String("vapi-go assistant id"),
			AssistantID: vapi.String(assistantID),
			AssistantOverrides: &vapi.AssistantOverrides{
				VariableValues: map[string]any{"customerName": "Ada", "plan": "pro"},
			},
		})
		assert.Equal(t, assistantID, cassetteValue(s.AssistantID))
		require.NotNil(t, s.AssistantOverrides)
		assert.Equal(t, map[string]any{"customerName": "Ada", "plan": "pro"}, s.AssistantOverrides.VariableValues)
	}},
	{name: "create_inline_assistant", test: func(t *testing.T, ctx context.Context, c *cassette.Cassette) {
		s := cassetteCreate(t, ctx, c, &vapi.CreateSessionRequest{
			Name:      vapi.String("vapi-go inline assistant"),
			Assistant: cassetteAssistant("Riley"),
		})
		require.NotNil(t, s.Assistant)
		assert.Nil(t, s.AssistantID)
		assert.Equal(t, "Riley", cassetteValue(s.Assistant.Name))
		assert.Equal(t, "Hi, this is Riley. How can I help?", cassetteValue(s.Assistant.FirstMessage))

		model, ok := s.Assistant.Model.(*vapi.OpenAIModel)
		require.True(t, ok, "model is %T", s.Assistant.Model)
		assert.Equal(t, vapi.OpenAIModelModelGPT4o, model.Model)
		assert.Equal(t, 0.3, cassetteValue(model.Temperature))
		require.Len(t, model.Messages, 1)
		assert.Equal(t, vapi.OpenAIMessageRoleSystem, model.Messages[0].Role)
		require.Len(t, model.Tools, 1)
		tool, ok := model.Tools[0].(*vapi.FunctionToolConfig)
		require.True(t, ok, "tool is %T", model.Tools[0])
		require.NotNil(t, tool.Function)
		assert.Equal(t, "lookup_order", tool.Function.Name)
		require.NotNil(t, tool.Function.Parameters)
		assert.Equal(t, []string{"orderId"}, tool.Function.Parameters.Required)
		assert.Equal(t, vapi.JSONSchemaTypeString, tool.Function.Parameters.Properties["orderId"].Type)

		voice, ok := s.Assistant.Voice.(*vapi.ElevenLabsVoice)
		require.True(t, ok, "voice is %T", s.Assistant.Voice)
		assert.Equal(t, vapi.ElevenLabsVoiceVoiceIDBurt, voice.VoiceID)
		assert.Equal(t, 0.5, cassetteValue(voice.Stability))

		transcriber, ok := s.Assistant.Transcriber.(*vapi.DeepgramTranscriber)
		require.True(t, ok, "transcriber is %T", s.Assistant.Transcriber)
		assert.Equal(t, vapi.DeepgramTranscriberModelNova2, transcriber.Model)
		assert.Equal(t, vapi.DeepgramTranscriberLanguageEn, transcriber.Language)
	}},
	{name: "create_squad", test: func(t *testing.T, ctx context.Context, c *cassette.Cassette) {
		assistantID := c.Var(t, "assistantId", cassetteAssistantEnv, cassetteAssistantID)
		s := cassetteCreate(t, ctx, c, &vapi.CreateSessionRequest{
			Name: vapi.String("vapi-go squad"),
			Squad: &vapi.SquadConfig{
				Name: vapi.String("Front desk"),
				Members: []vapi.SquadMember{
					{AssistantID: vapi.NullableOf(assistantID)},
					{Assistant: cassetteAssistant("Overflow")},
				},
			},
		})
		require.NotNil(t, s.Squad)
		assert.Equal(t, "Front desk", cassetteValue(s.Squad.Name))
		require.Len(t, s.Squad.Members, 2)
		memberAssistantID, ok := s.Squad.Members[0].AssistantID.Get()
		assert.True(t, ok, "the squad member's assistantId came back")
		assert.Equal(t, assistantID, memberAssistantID)
		require.NotNil(t, s.Squad.Members[1].Assistant)
		assert.Equal(t, "Overflow", cassetteValue(s.Squad.Members[1].Assistant.Name))
		assert.IsType(t, &vapi.OpenAIModel{}, s.Squad.Members[1].Assistant.Model)
	}},
	{name: "create_customer_phone_number", test: func(t *testing.T, ctx context.Context, c *cassette.Cassette) {
		phoneNumberID := c.Var(t, "phoneNumberId", cassettePhoneNumberEnv, cassettePhoneNumberID)
		s := cassetteCreate(t, ctx, c, &vapi.CreateSessionRequest{
			Name:          vapi.String("vapi-go customer"),
			Customer:      &vapi.CustomerConfig{Number: vapi.String("+14155550123"), Name: vapi.String("Ada Lovelace")},
			PhoneNumberID: vapi.String(phoneNumberID),
		})
		require.NotNil(t, s.Customer)
		assert.Equal(t, "+14155550123", cassetteValue(s.Customer.Number))
		assert.Equal(t, "Ada Lovelace", cassetteValue(s.Customer.Name))
		assert.Equal(t, phoneNumberID, cassetteValue(s.PhoneNumberID))
	}},
	{name: "get", test: func(t *testing.T, ctx context.Context, c *cassette.Cassette) {
		created := cassetteCreate(t, ctx, c, &vapi.CreateSessionRequest{Name: vapi.String("vapi-go get")})
		got, err := c.Client.Sessions.Get(ctx, created.ID)
		require.NoError(t, err)
		assert.Equal(t, created, got)
	}},
	{name: "list_two_pages", test: func(t *testing.T, ctx context.Context, c *cassette.Cassette) {
		const name = "vapi-go list"
		var ids []string
		for range 3 {
			ids = append(ids, cassetteCreate(t, ctx, c, &vapi.CreateSessionRequest{Name: vapi.String(name)}).ID)
		}
		params := &vapi.ListSessionsParams{Name: vapi.String(name), Limit: vapi.Int(2), SortOrder: vapi.SortOrderASC}

		first, err := c.Client.Sessions.List(ctx, params)
		require.NoError(t, err)
		assert.Equal(t, ids[:2], cassetteIDs(first.Results))
		assert.Equal(t, 3.0, first.Metadata.TotalItems)
		assert.Equal(t, 2.0, first.Metadata.ItemsPerPage)
		assert.Equal(t, 1.0, first.Metadata.CurrentPage)
		assert.Equal(t, vapi.Bool(true), first.Metadata.HasNextPage)

		second, err := c.Client.Sessions.List(ctx, &vapi.ListSessionsParams{
			Name: params.Name, Limit: params.Limit, SortOrder: params.SortOrder, Page: vapi.Int(2),
		})
		require.NoError(t, err)
		assert.Equal(t, ids[2:], cassetteIDs(second.Results))
		assert.Equal(t, 2.0, second.Metadata.CurrentPage)
		assert.Equal(t, vapi.Bool(false), second.Metadata.HasNextPage)

		var all []string
		for s, err := range c.Client.Sessions.ListAll(ctx, params) {
			require.NoError(t, err)
			all = append(all, s.ID)
		}
		assert.Equal(t, ids, all)
	}},
	{name: "update", test: func(t *testing.T, ctx context.Context, c *cassette.Cassette) {
		created := cassetteCreate(t, ctx, c, &vapi.CreateSessionRequest{Name: vapi.String("vapi-go update")})
		updated, err := c.Client.Sessions.Update(ctx, created.ID, &vapi.UpdateSessionRequest{
			Name:              vapi.String("vapi-go updated"),
			Status:            vapi.SessionStatusCompleted,
			ExpirationSeconds: vapi.Float64(3600),
		})
		require.NoError(t, err)
		assert.Equal(t, created.ID, updated.ID)
		assert.Equal(t, "vapi-go updated", cassetteValue(updated.Name))
		assert.Equal(t, vapi.SessionStatusCompleted, updated.Status)
		assert.Equal(t, 3600.0, cassetteValue(updated.ExpirationSeconds))
		assert.Equal(t, created.CreatedAt, updated.CreatedAt)
		assert.True(t, updated.UpdatedAt.After(created.UpdatedAt), "updatedAt moves on")
	}},
	{name: "delete", test: func(t *testing.T, ctx context.Context, c *cassette.Cassette) {
		s, err := c.Client.Sessions.Create(ctx, &vapi.CreateSessionRequest{Name: vapi.String("vapi-go delete")})
		require.NoError(t, err)
		deleted, err := c.Client.Sessions.Delete(ctx, s.ID)
		require.NoError(t, err)
		assert.Equal(t, s.ID, deleted.ID)
		assert.Equal(t, "vapi-go delete", cassetteValue(deleted.Name))
		_, err = c.Client.Sessions.Get(ctx, s.ID)
		assert.ErrorIs(t, err, vapi.ErrNotFound)
	}},
	{name: "error_400", test: func(t *testing.T, ctx context.Context, c *cassette.Cassette) {
		// Invalid in three ways; WithoutValidation lets it reach the server.
		_, err := c.Client.Sessions.Create(ctx, &vapi.CreateSessionRequest{
			Name:              vapi.String(strings.Repeat("n", 41)),
			ExpirationSeconds: vapi.Float64(10),
			Customer:          &vapi.CustomerConfig{Number: vapi.String("1")},
		}, vapi.WithoutValidation())
		apiErr := cassetteAPIError(t, err, http.StatusBadRequest, vapi.ErrBadRequest)
		assert.Equal(t, "Bad Request", apiErr.Type)
		assert.GreaterOrEqual(t, len(apiErr.Messages), 3, "one message per problem: %q", apiErr.Messages)
	}},
	{
		name: "error_401",
		opts: cassette.Options{Client: []vapi.Option{vapi.WithAPIKey("not-a-valid-key")}},
		test: func(t *testing.T, ctx context.Context, c *cassette.Cassette) {
			_, err := c.Client.Sessions.List(ctx, nil)
			cassetteAPIError(t, err, http.StatusUnauthorized, vapi.ErrUnauthorized)
		},
	},
	{name: "error_404", test: func(t *testing.T, ctx context.Context, c *cassette.Cassette) {
		_, err := c.Client.Sessions.Get(ctx, "00000000-0000-4000-8000-00000000dead")
		apiErr := cassetteAPIError(t, err, http.StatusNotFound, vapi.ErrNotFound)
		assert.NotEmpty(t, apiErr.Messages)
	}},
	{
		// Only vapitest can be told to fail, so this one is always recorded
		// against it.
		name: "retry_503",
		opts: cassette.Options{
			FakeOnly: true,
			Client:   []vapi.Option{vapi.WithMaxRetries(2), vapi.WithRetryWait(time.Millisecond, 5*time.Millisecond)},
		},
		test: func(t *testing.T, ctx context.Context, c *cassette.Cassette) {
			if c.Fake != nil {
				c.Fake.Fail(vapitest.Failure{Status: http.StatusServiceUnavailable})
			}
			var resp vapi.Response
			s, err := c.Client.Sessions.Create(ctx, &vapi.CreateSessionRequest{Name: vapi.String("vapi-go retry")}, vapi.WithResponseInto(&resp))
			require.NoError(t, err)
			assert.Equal(t, "vapi-go retry", cassetteValue(s.Name))
			assert.Equal(t, http.StatusCreated, resp.StatusCode)
			assert.Equal(t, 2, resp.Attempts, "one 503, then success")
			cassetteDelete(t, ctx, c, s.ID)
		},
	},
}

func TestCassettes(t *testing.T) {
	for _, tt := range cassetteTests {
		t.Run(tt.name, func(t *testing.T) {
			c := cassette.Open(t, tt.name, tt.opts)
			ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
			defer cancel()
			tt.test(t, ctx, c)
		})
	}
}

// cassetteAssistant is an inline assistant with a model, a tool, a voice and
// a transcriber.
func cassetteAssistant(name string) *vapi.AssistantConfig {
	return &vapi.AssistantConfig{
		Name:         vapi.String(name),
		FirstMessage: vapi.String("Hi, this is " + name + ". How can I help?"),
		Model: &vapi.OpenAIModel{
			Model:       vapi.OpenAIModelModelGPT4o,
			Temperature: vapi.Float64(0.3),
			Messages: []vapi.OpenAIMessage{{
				Role:    vapi.OpenAIMessageRoleSystem,
				Content: vapi.NullableOf("You are a concise support agent for Acme. Look orders up before answering."),
			}},
			Tools: []vapi.Tool{&vapi.FunctionToolConfig{
				Function: &vapi.OpenAIFunction{
					Name:        "lookup_order",
					Description: vapi.String("Finds an order by its id."),
					Parameters: &vapi.OpenAIFunctionParameters{
						Properties: map[string]vapi.JSONSchema{
							"orderId": {Type: vapi.JSONSchemaTypeString, Description: vapi.String("The order id, e.g. A-1001.")},
						},
						Required: []string{"orderId"},
					},
				},
				Server: &vapi.Server{URL: vapi.String("https://example.com/vapi/tools")},
			}},
		},
		Voice: &vapi.ElevenLabsVoice{
			VoiceID:         vapi.ElevenLabsVoiceVoiceIDBurt,
			Stability:       vapi.Float64(0.5),
			SimilarityBoost: vapi.Float64(0.75),
		},
		Transcriber: &vapi.DeepgramTranscriber{
			Model:    vapi.DeepgramTranscriberModelNova2,
			Language: vapi.DeepgramTranscriberLanguageEn,
		},
	}
}

// cassetteCreate creates a session, checks what every new session has, and
// deletes it again at the end of the test, so that recording against the
// live API leaves nothing behind.
func cassetteCreate(t *testing.T, ctx context.Context, c *cassette.Cassette, req *vapi.CreateSessionRequest) *vapi.Session {
	t.Helper()
	s, err := c.Client.Sessions.Create(ctx, req)
	require.NoError(t, err)
	assert.NotEmpty(t, s.ID)
	assert.NotEmpty(t, s.OrgID)
	assert.False(t, s.CreatedAt.IsZero())
	assert.Equal(t, s.CreatedAt, s.UpdatedAt)
	assert.Equal(t, vapi.SessionStatusActive, s.Status)
	assert.Equal(t, 86400.0, cassetteValue(s.ExpirationSeconds))
	assert.Equal(t, cassetteValue(req.Name), cassetteValue(s.Name))
	t.Cleanup(func() { cassetteDelete(t, context.Background(), c, s.ID) })
	return s
}

func cassetteDelete(t *testing.T, ctx context.Context, c *cassette.Cassette, id string) {
	t.Helper()
	if _, err := c.Client.Sessions.Delete(ctx, id); err != nil {
		t.Errorf("deleting session %s: %v", id, err)
	}
}

func cassetteAPIError(t *testing.T, err error, status int, sentinel error) *vapi.APIError {
	t.Helper()
	require.ErrorIs(t, err, sentinel)
	var apiErr *vapi.APIError
	require.ErrorAs(t, err, &apiErr)
	assert.Equal(t, status, apiErr.StatusCode)
	return apiErr
}

func cassetteIDs(ss []vapi.Session) []string {
	var ids []string
	for _, s := range ss {
		ids = append(ids, s.ID)
	}
	return ids
}

func cassetteValue[T any](p *T) T {
	var zero T
	if p == nil {
		return zero
	}
	return *p
}

// cassetteFiles loads every cassette under testdata/cassettes.
func cassetteFiles(t *testing.T) map[string]*vcr.Cassette {
	t.Helper()
	paths, err := filepath.Glob(filepath.Join(cassette.Dir, "*.yaml"))
	require.NoError(t, err)
	require.NotEmpty(t, paths, "no cassettes")
	out := map[string]*vcr.Cassette{}
	for _, p := range paths {
		c, err := vcr.Load(strings.TrimSuffix(p, ".yaml"))
		require.NoError(t, err, p)
		out[p] = c
	}
	return out
}

// Every cassette belongs to a test, and every test has its cassette.
func TestCassetteFilesMatchTests(t *testing.T) {
	want := map[string]bool{}
	for _, tt := range cassetteTests {
		want[filepath.Join(cassette.Dir, tt.name+".yaml")] = true
	}
	got := map[string]bool{}
	for p := range cassetteFiles(t) {
		got[p] = true
	}
	assert.Equal(t, want, got)
}

var (
	cassetteUUIDShaped = regexp.MustCompile(`[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}`)
	cassetteKeyShaped  = regexp.MustCompile(`(?i)\b(sk|pk)[-_](live|test)[-_]|bearer\s`)
	cassetteSecretName = regexp.MustCompile(`(?i)auth|key|token|secret|cookie|password`)
)

// No cassette holds a credential: no Authorization header, nothing that
// looks like a key, and none of the keys used to record.
func TestCassettesHoldNoSecrets(t *testing.T) {
	keys := []string{cassette.FakeKey, cassette.ReplayKey}
	if k := os.Getenv(cassette.EnvAPIKey); k != "" {
		keys = append(keys, k)
	}
	for path, c := range cassetteFiles(t) {
		raw, err := os.ReadFile(path)
		require.NoError(t, err)
		text := string(raw)
		for _, k := range keys {
			assert.NotContains(t, text, k, path)
		}
		assert.False(t, cassetteKeyShaped.MatchString(text), "%s holds something shaped like a key: %q", path, cassetteKeyShaped.FindString(text))
		for _, i := range c.Interactions {
			for _, h := range []http.Header{i.Request.Headers, i.Response.Headers} {
				for name, values := range h {
					assert.False(t, cassetteSecretName.MatchString(name), "%s: header %s", path, name)
					if strings.EqualFold(name, "X-Request-Id") {
						continue
					}
					if strings.EqualFold(name, "Location") && cassetteFakeArtifact(values) {
						continue // vapitest's artifact URLs hold the call's id, and no signature
					}
					for _, v := range values {
						assert.False(t, cassetteUUIDShaped.MatchString(v), "%s: header %s: %q is shaped like a key", path, name, v)
					}
				}
			}
			u, err := url.Parse(i.Request.URL)
			require.NoError(t, err)
			for name := range u.Query() {
				assert.False(t, cassetteSecretName.MatchString(name), "%s: query parameter %s", path, name)
			}
		}
	}
}

// Every exchange says where it was recorded, and so does the file.
func TestCassettesSayWhereRecorded(t *testing.T) {
	for path, c := range cassetteFiles(t) {
		raw, err := os.ReadFile(path)
		require.NoError(t, err)
		first, _, _ := strings.Cut(string(raw), "\n")
		require.True(t, strings.HasPrefix(first, "# Recorded against "), "%s starts with %q", path, first)
		target := strings.TrimPrefix(first, "# Recorded against ")
		target, _, _ = strings.Cut(target, " by a record run")
		for _, i := range c.Interactions {
			assert.Equal(t, target, i.Request.Headers.Get(cassette.RecordedAgainst), "%s: exchange %d", path, i.ID)
			assert.True(t, strings.HasPrefix(i.Request.URL, cassette.Origin+"/"), "%s: %s", path, i.Request.URL)
		}
	}
}

// Every request body of a successful exchange is one the SDK would send:
// it passes Validate and carries no property the request types lack.
func TestCassetteRequestsAreValid(t *testing.T) {
	for path, c := range cassetteFiles(t) {
		if cassetteServiceFile(path) {
			continue // TestServiceCassettesDecodeIntoTheirTypes
		}
		for _, i := range c.Interactions {
			if i.Response.Code/100 != 2 || i.Request.Body == "" {
				continue
			}
			u, err := url.Parse(i.Request.URL)
			require.NoError(t, err)
			req, chat := cassetteChatRequest(i.Request.Method, u.Path)
			switch {
			case chat:
			case i.Request.Method == http.MethodPost:
				req = new(vapi.CreateSessionRequest)
			case i.Request.Method == http.MethodPatch:
				req = new(vapi.UpdateSessionRequest)
			default:
				t.Errorf("%s: exchange %d: %s with a body", path, i.ID, i.Request.Method)
				continue
			}
			require.NoError(t, json.Unmarshal([]byte(i.Request.Body), req), "%s: exchange %d", path, i.ID)
			assert.NoError(t, req.Validate(), "%s: exchange %d", path, i.ID)
			dropped, err := jsonkeys.Dropped([]byte(i.Request.Body), req)
			require.NoError(t, err)
			assert.Empty(t, dropped, "%s: exchange %d: properties the request type does not know", path, i.ID)
		}
	}
}

// Every body of a successful response decodes into the SDK's type and
// encodes back without losing a property the type declares. Properties the
// type does not know (a newer API) are reported but do not fail.
func TestCassetteResponsesRoundTrip(t *testing.T) {
	for path, c := range cassetteFiles(t) {
		if cassetteServiceFile(path) {
			continue // TestServiceCassettesDecodeIntoTheirTypes
		}
		for _, i := range c.Interactions {
			if i.Response.Code/100 != 2 {
				continue
			}
			u, err := url.Parse(i.Request.URL)
			require.NoError(t, err)
			if cassetteCheckStream(t, path+": exchange "+strconv.Itoa(i.ID), i, u.Path) {
				continue
			}
			var v any = new(vapi.Session)
			if chat, ok := cassetteChatResponse(i.Request.Method, u.Path); ok {
				v = chat
			} else if i.Request.Method == http.MethodGet && strings.TrimSuffix(u.Path, "/") == "/session" {
				v = new(vapi.SessionPage)
			}
			body := []byte(i.Response.Body)
			require.NoError(t, json.Unmarshal(body, v), "%s: exchange %d", path, i.ID)
			lost, err := jsonkeys.Lost(body, v)
			require.NoError(t, err)
			assert.Empty(t, lost, "%s: exchange %d: properties lost in a round trip through %T", path, i.ID, v)
			if unknown, _ := jsonkeys.Dropped(body, v); len(unknown) > len(lost) {
				t.Logf("%s: exchange %d: properties %T does not know: %v", path, i.ID, v, unknown)
			}
		}
	}
}

// Error responses are NestJS-shaped, as the SDK's error decoding expects.
func TestCassetteErrorsAreNestJSShaped(t *testing.T) {
	for path, c := range cassetteFiles(t) {
		for _, i := range c.Interactions {
			if i.Response.Code < 400 {
				continue
			}
			var body struct {
				Message    json.RawMessage `json:"message"`
				StatusCode int             `json:"statusCode"`
			}
			require.NoError(t, json.Unmarshal([]byte(i.Response.Body), &body), "%s: exchange %d", path, i.ID)
			assert.Equal(t, i.Response.Code, body.StatusCode, "%s: exchange %d", path, i.ID)
			assert.NotEmpty(t, body.Message, "%s: exchange %d", path, i.ID)
		}
	}
}
