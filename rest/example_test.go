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
// each handler of Routes; PublicRoutes, the page and the signed chart
// links, go without).
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
	var public []string
	for pattern, h := range api.PublicRoutes() {
		mux.Handle(pattern, h)
		public = append(public, pattern)
	}
	slices.Sort(patterns)
	slices.Sort(public)
	fmt.Println(patterns)
	fmt.Println(public)
	// Output:
	// [GET /api/v1/info POST /api/v1/chat POST /api/v1/load POST /api/v1/upload]
	// [GET /api/v1/charts/{file} GET /{$}]
}
