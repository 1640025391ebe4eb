package rest_test

import (
	"fmt"
	"net/http"
	"slices"
	"time"

	"datachat/chat"
	"datachat/datasets"
	"datachat/rest"
)

// Mount the API on a ServeMux (datachat serve puts Bearer auth in front of
// each handler).
func ExampleServer_Routes() {
	mgr, err := datasets.NewManager(datasets.Config{})
	if err != nil {
		panic(err)
	}
	defer mgr.Close()
	api := rest.New(rest.Config{
		Datasets:  mgr,
		Engine:    chat.NewEmbedded(),
		PublicURL: "https://datachat.example.com",
		ChartTTL:  30 * time.Minute,
	})
	mux := http.NewServeMux()
	var patterns []string
	for pattern, h := range api.Routes() {
		mux.Handle(pattern, h)
		patterns = append(patterns, pattern)
	}
	slices.Sort(patterns)
	fmt.Println(patterns)
	// Output: [GET /api/v1/charts/{file} POST /api/v1/chat]
}
