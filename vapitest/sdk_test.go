package vapitest_test

import (
	"context"
	"fmt"
	"net/http"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/govapi/vapi"
	"github.com/govapi/vapi/vapitest"
)

// newSDK returns a client of srv that retries quickly.
func newSDK(t *testing.T, srv *vapitest.Server, opts ...vapi.Option) *vapi.Client {
	t.Helper()
	client, err := vapi.NewClient(append([]vapi.Option{
		vapi.WithBaseURL(srv.URL),
		vapi.WithAPIKey(key),
		vapi.WithRetryWait(time.Millisecond, 5*time.Millisecond),
	}, opts...)...)
	require.NoError(t, err)
	return client
}

func TestSDKLifecycle(t *testing.T) {
	srv := newServer(t)
	client := newSDK(t, srv)
	ctx := context.Background()

	created, err := client.Sessions.Create(ctx, &vapi.CreateSessionRequest{
		Name:        vapi.String("support"),
		AssistantID: vapi.String("asst-1"),
		Customer:    &vapi.CustomerConfig{Number: vapi.String("+14155550100")},
	})
	require.NoError(t, err)
	assert.Equal(t, "00000000-0000-4000-8000-000000000001", created.ID)
	assert.Equal(t, "org-1", created.OrgID)
	assert.Equal(t, t0, created.CreatedAt)
	assert.Equal(t, vapi.SessionStatusActive, created.Status)
	assert.Equal(t, vapi.Float64(86400), created.ExpirationSeconds)
	assert.Equal(t, vapi.String("asst-1"), created.AssistantID)
	require.NotNil(t, created.Customer)
	assert.Equal(t, vapi.String("+14155550100"), created.Customer.Number)

	got, err := client.Sessions.Get(ctx, created.ID)
	require.NoError(t, err)
	assert.Equal(t, created, got)

	updated, err := client.Sessions.Update(ctx, created.ID, &vapi.UpdateSessionRequest{
		Name:   vapi.String("support-2"),
		Status: vapi.SessionStatusCompleted,
	})
	require.NoError(t, err)
	assert.Equal(t, vapi.String("support-2"), updated.Name)
	assert.Equal(t, vapi.SessionStatusCompleted, updated.Status)
	assert.Equal(t, created.CreatedAt, updated.CreatedAt)
	assert.True(t, updated.UpdatedAt.After(created.UpdatedAt))
	assert.Equal(t, created.AssistantID, updated.AssistantID, "fields not in the update stay")

	page, err := client.Sessions.List(ctx, &vapi.ListSessionsParams{AssistantID: vapi.String("asst-1")})
	require.NoError(t, err)
	require.Len(t, page.Results, 1)
	assert.Equal(t, *updated, page.Results[0])
	assert.Equal(t, 1.0, page.Metadata.TotalItems)

	deleted, err := client.Sessions.Delete(ctx, created.ID)
	require.NoError(t, err)
	assert.Equal(t, updated, deleted)

	_, err = client.Sessions.Get(ctx, created.ID)
	assert.ErrorIs(t, err, vapi.ErrNotFound)
}

func TestSDKListAll(t *testing.T) {
	for _, tt := range []struct {
		name string
		opts []vapitest.Option
	}{
		{"by page number", nil},
		{"by cursor", []vapitest.Option{vapitest.WithCursorPagination()}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			srv := newServer(t, tt.opts...)
			client := newSDK(t, srv)
			ctx := context.Background()
			var want []string
			for i := range 7 {
				s, err := client.Sessions.Create(ctx, &vapi.CreateSessionRequest{Name: vapi.String(fmt.Sprintf("s%d", i))})
				require.NoError(t, err)
				want = append(want, s.ID)
			}
			// An eighth session that the filter leaves out.
			_, err := client.Sessions.Create(ctx, &vapi.CreateSessionRequest{AssistantID: vapi.String("other")})
			require.NoError(t, err)

			before := len(srv.Requests())
			var got []string
			params := &vapi.ListSessionsParams{Limit: vapi.Int(3), SortOrder: vapi.SortOrderASC, CreatedAtLt: vapi.Ptr(t0.Add(7 * time.Second))}
			for s, err := range client.Sessions.ListAll(ctx, params) {
				require.NoError(t, err)
				got = append(got, s.ID)
			}
			assert.Equal(t, want, got)
			assert.Equal(t, 3, len(srv.Requests())-before, "7 sessions in pages of 3")
		})
	}
}

func TestSDKRetriesInjectedFailures(t *testing.T) {
	srv := newServer(t)
	client := newSDK(t, srv, vapi.WithMaxRetries(2))
	ctx := context.Background()

	srv.Fail(vapitest.Failure{Count: 2, Status: http.StatusServiceUnavailable})
	var resp vapi.Response
	s, err := client.Sessions.Create(ctx, &vapi.CreateSessionRequest{Name: vapi.String("retried")}, vapi.WithResponseInto(&resp))
	require.NoError(t, err)
	assert.Equal(t, "retried", *s.Name)
	assert.Equal(t, 3, resp.Attempts)
	assert.Equal(t, http.StatusCreated, resp.StatusCode)
	assert.NotEmpty(t, resp.RequestID, "vapitest sends X-Request-Id")

	// More failures than retries: the last one is returned.
	srv.Fail(vapitest.Failure{Count: 3, Status: http.StatusBadGateway})
	_, err = client.Sessions.Get(ctx, s.ID)
	var apiErr *vapi.APIError
	require.ErrorAs(t, err, &apiErr)
	assert.Equal(t, http.StatusBadGateway, apiErr.StatusCode)
	assert.ErrorIs(t, err, vapi.ErrServer)

	// A 4xx is not retried.
	srv.Fail(vapitest.Failure{Count: 2, Status: http.StatusConflict})
	_, err = client.Sessions.Get(ctx, s.ID, vapi.WithResponseInto(&resp))
	assert.ErrorIs(t, err, vapi.ErrConflict)
	assert.Equal(t, 1, resp.Attempts)
	_, err = client.Sessions.Get(ctx, s.ID)
	assert.ErrorIs(t, err, vapi.ErrConflict, "the second queued failure")
	_, err = client.Sessions.Get(ctx, s.ID)
	assert.NoError(t, err)

	// Retry-After beyond the client's max wait comes back at once.
	srv.Fail(vapitest.Failure{Status: http.StatusTooManyRequests, Header: http.Header{"Retry-After": {"120"}}})
	_, err = client.Sessions.Get(ctx, s.ID)
	require.ErrorAs(t, err, &apiErr)
	assert.ErrorIs(t, err, vapi.ErrRateLimited)
	assert.Equal(t, 120*time.Second, apiErr.RetryAfter)
}

func TestSDKErrors(t *testing.T) {
	srv := newServer(t)
	ctx := context.Background()

	t.Run("401", func(t *testing.T) {
		_, err := newSDK(t, srv, vapi.WithAPIKey("wrong")).Sessions.List(ctx, nil)
		var apiErr *vapi.APIError
		require.ErrorAs(t, err, &apiErr)
		assert.ErrorIs(t, err, vapi.ErrUnauthorized)
		assert.Equal(t, []string{"Unauthorized"}, apiErr.Messages)
	})
	t.Run("404", func(t *testing.T) {
		_, err := newSDK(t, srv).Sessions.Get(ctx, "00000000-0000-4000-8000-0000000000ff")
		var apiErr *vapi.APIError
		require.ErrorAs(t, err, &apiErr)
		assert.ErrorIs(t, err, vapi.ErrNotFound)
		assert.Equal(t, "Not Found", apiErr.Type)
		assert.Equal(t, []string{"Session not found"}, apiErr.Messages)
	})
	t.Run("400 from the server's validation", func(t *testing.T) {
		req := &vapi.CreateSessionRequest{
			Name:              vapi.String(fmt.Sprintf("%041d", 0)),
			ExpirationSeconds: vapi.Float64(1),
		}
		local := req.Validate()
		require.Error(t, local)
		_, err := newSDK(t, srv).Sessions.Create(ctx, req, vapi.WithoutValidation())
		var apiErr *vapi.APIError
		require.ErrorAs(t, err, &apiErr)
		assert.ErrorIs(t, err, vapi.ErrBadRequest)
		assert.Equal(t, "Bad Request", apiErr.Type)
		var verr *vapi.ValidationError
		require.ErrorAs(t, local, &verr)
		require.Len(t, apiErr.Messages, len(verr.Errors), "one message per violation the SDK finds")
		for i, fe := range verr.Errors {
			assert.Equal(t, fe.Field+" "+fe.Message, apiErr.Messages[i])
		}
	})
	t.Run("400 for a bad query", func(t *testing.T) {
		_, err := newSDK(t, srv).Sessions.List(ctx, &vapi.ListSessionsParams{Limit: vapi.Int(5000)}, vapi.WithoutValidation())
		var apiErr *vapi.APIError
		require.ErrorAs(t, err, &apiErr)
		assert.Equal(t, []string{"limit must not be greater than 1000"}, apiErr.Messages)
	})
}
