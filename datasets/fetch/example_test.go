package fetch_test

import (
	"context"
	"fmt"
	"log"
	"time"

	"datachat/datasets/fetch"
)

func ExampleFetcher_Fetch() {
	f, err := fetch.New(fetch.Config{
		AllowDirs: []string{"/srv/data"},
		MaxBytes:  256 << 20,
		Timeout:   time.Minute,
		CacheDir:  "/var/cache/datachat",
	})
	if err != nil {
		log.Fatal(err)
	}
	file, err := f.Fetch(context.Background(), "https://example.com/sales.csv.gz", func(done, total int64) {
		fmt.Printf("\r%d of %d bytes", done, total)
	})
	if err != nil {
		log.Fatal(err) // for example "fetch https://...: the server answered 404 Not Found; check the URL"
	}
	fmt.Println(file.Path, file.Stem(), file.Ext) // .../<sha256>.csv.gz sales .csv.gz
}
