module github.com/govapi/vapi

go 1.23
