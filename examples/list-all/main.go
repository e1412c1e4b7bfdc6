// Command list-all walks every session with ListAll, an iterator that
// fetches the next page only when the loop gets there, and shows that
// breaking out of the loop stops the fetching.
//
// It runs offline against the in-process fake from package vapitest,
// filled with 25 sessions:
//
//	go run ./examples/list-all
package main

import (
	"context"
	"fmt"
	"io"
	"os"

	"github.com/govapi/vapi"
	"github.com/govapi/vapi/vapitest"
)

func main() {
	if err := run(context.Background(), os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "error:", err)
		os.Exit(1)
	}
}

func run(ctx context.Context, out io.Writer) error {
	srv := vapitest.NewServer(vapitest.WithIDGenerator(vapitest.SequentialIDs()))
	defer srv.Close()
	client, err := vapi.NewClient(vapi.WithBaseURL(srv.URL), vapi.WithAPIKey("vapitest-dummy-key"))
	if err != nil {
		return err
	}
	for i := 1; i <= 25; i++ {
		req := &vapi.CreateSessionRequest{Name: vapi.String(fmt.Sprintf("session-%02d", i))}
		if _, err := client.Sessions.Create(ctx, req); err != nil {
			return err
		}
	}

	// Every session, oldest first, 10 to a page: ListAll asks for pages 1,
	// 2 and 3 as the loop reaches them. The first error ends the walk and
	// is yielded as err.
	params := &vapi.ListSessionsParams{Limit: vapi.Int(10), SortOrder: vapi.SortOrderASC}
	before := len(srv.Requests())
	n := 0
	for s, err := range client.Sessions.ListAll(ctx, params) {
		if err != nil {
			return err
		}
		n++
		if n <= 3 || n > 23 {
			fmt.Fprintf(out, "%2d  %s  %s\n", n, s.ID, *s.Name)
		} else if n == 4 {
			fmt.Fprintln(out, "    ...")
		}
	}
	fmt.Fprintf(out, "listed %d sessions in %d requests\n", n, len(srv.Requests())-before)

	// Breaking out of the loop stops the walk: finding the 12th session
	// fetches two pages, not three.
	before = len(srv.Requests())
	for s, err := range client.Sessions.ListAll(ctx, params) {
		if err != nil {
			return err
		}
		if *s.Name == "session-12" {
			fmt.Fprintf(out, "found %s (%s) in %d requests\n", *s.Name, s.ID, len(srv.Requests())-before)
			break
		}
	}
	return nil
}
