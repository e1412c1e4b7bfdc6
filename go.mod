module github.com/govapi/vapi

go 1.23

require (
	github.com/hashicorp/go-cleanhttp v0.5.2
	github.com/hashicorp/go-retryablehttp v0.7.8
	gopkg.in/dnaeon/go-vcr.v3 v3.2.0
)

require gopkg.in/yaml.v3 v3.0.1 // indirect

require (
	github.com/stretchr/testify v1.12.1
	go.yaml.in/yaml/v3 v3.0.5 // indirect
)
