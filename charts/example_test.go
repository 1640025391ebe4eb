package charts_test

import (
	"context"
	"fmt"
	"log"

	"datachat/charts"
)

func Example() {
	data := charts.Data{
		Columns: []string{"class", "passengers"},
		Types:   []string{"VARCHAR", "BIGINT"},
		Rows:    [][]any{{"First", int64(216)}, {"Second", int64(184)}, {"Third", int64(491)}},
	}
	spec, err := charts.Choose(data, "", "", "")
	if err != nil {
		log.Fatal(err)
	}
	png, err := charts.Render(context.Background(), spec, data, "png")
	if err != nil {
		log.Fatal(err)
	}
	vl, err := charts.VegaLite(spec, data)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(spec.Kind, spec.X, spec.Y)
	fmt.Println(string(png[1:4]))
	fmt.Println(vl["title"])
	// Output:
	// bar class passengers
	// PNG
	// map[text:Passengers by Class]
}

func ExampleChoose() {
	data := charts.Data{
		Columns: []string{"fare_usd"},
		Types:   []string{"DOUBLE"},
		Rows:    [][]any{{7.25}, {71.28}, {8.05}, {53.1}},
	}
	spec, err := charts.Choose(data, "", "", "")
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(spec.Kind, spec.X)
	// Output: histogram fare_usd
}
