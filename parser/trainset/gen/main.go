// Command gen writes the trainset tables (from fixed seeds) and
// questions.jsonl (questions.src.jsonl with each answer computed by running
// its SQL): go run ./parser/trainset/gen from the repository root.
package main

import (
	"bytes"
	"context"
	"database/sql"
	"encoding/csv"
	"encoding/json"
	"flag"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"strings"

	_ "github.com/duckdb/duckdb-go/v2"

	"datachat/parser/trainset"
)

// table is one file under tables/: generated from a seed, or copied from
// the shared test data.
type table struct {
	file  string
	split string
	seed  uint64
	build func(*rng) ([]string, [][]string)
	// parquet, for a .parquet file, selects from the generated CSV (as src)
	// what the file holds; "" keeps every column as DuckDB reads it.
	parquet string
	// copyOf is a file under the shared test data, copied byte for byte,
	// and licence the licence file (under its licenses/) that goes with it.
	copyOf, licence string
	// codes, for a .dta or .sav file, gives its labels.
	codes *codebook
}

var tables = []table{
	{file: "sales_orders.csv", split: "train", seed: 101, build: salesOrders},
	{file: "employees.csv", split: "train", seed: 102, build: employees},
	{file: "student_grades.csv", split: "dev", seed: 103, build: studentGrades},
	{file: "hospital_visits.parquet", split: "train", seed: 104, build: hospitalVisits},
	{file: "weather_stations_monthly.csv", split: "train", seed: 105, build: weatherMonthly},
	{file: "flights.csv", split: "dev", seed: 106, build: flights},
	{file: "housing_sales.csv", split: "train", seed: 107, build: housing},
	{file: "cars.csv", split: "train", seed: 108, build: cars},
	{file: "movies.csv", split: "dev", seed: 109, build: movies},
	{file: "music_charts.csv", split: "train", seed: 110, build: musicCharts},
	{file: "football_results.csv", split: "train", seed: 111, build: football},
	{file: "marathon_results.parquet", split: "dev", seed: 112, build: marathon},
	{file: "product_reviews.csv", split: "train", seed: 113, build: productReviews},
	{file: "energy_by_country.csv", split: "train", seed: 114, build: energyUse},
	{file: "city_populations.csv", split: "dev", seed: 115, build: cityPopulations},
	{file: "library_loans.csv", split: "train", seed: 116, build: libraryLoans},
	{file: "insurance_claims.parquet", split: "train", seed: 117, build: insuranceClaims},
	{file: "bike_rentals_daily.csv", split: "dev", seed: 118, build: bikeRentals},
	{file: "restaurant_inspections.csv", split: "train", seed: 119, build: restaurantInspections},
	{file: "earthquakes.csv", split: "dev", seed: 120, build: earthquakes},
	{file: "election_results.csv", split: "train", seed: 121, build: elections},
	{file: "job_postings.parquet", split: "train", seed: 122, build: jobPostings,
		parquet: "SELECT * REPLACE (string_split(skills, ';') AS skills) FROM src"},
	{file: "airline_ontime_monthly.csv", split: "train", seed: 201, build: airlineOnTime},
	{file: "school_districts.csv", split: "dev", seed: 202, build: schoolDistricts},
	{file: "clinical_trial_arms.parquet", split: "train", seed: 203, build: clinicalTrial,
		parquet: "SELECT * REPLACE (coalesce(string_split(adverse_events, '|'), []::VARCHAR[]) AS adverse_events) FROM src"},
	{file: "retail_stores.csv", split: "train", seed: 204, build: retailStores},
	{file: "warehouse_stock.csv", split: "dev", seed: 205, build: warehouseStock},
	{file: "crop_yields.csv", split: "train", seed: 206, build: cropYields},
	{file: "ride_sharing_trips.parquet", split: "train", seed: 207, build: rideTrips},
	{file: "hotel_bookings.csv", split: "dev", seed: 208, build: hotelBookings},
	{file: "power_plants.csv", split: "train", seed: 209, build: powerPlants},
	{file: "museum_visitors_daily.csv", split: "dev", seed: 210, build: museumVisitors},
	{file: "gym_members.csv", split: "train", seed: 211, build: gymMembers},
	{file: "call_centre_tickets.csv", split: "train", seed: 212, build: callCentre},
	{file: "shipping_containers.csv", split: "dev", seed: 213, build: shippingContainers},
	{file: "wine_ratings.csv", split: "train", seed: 214, build: wineRatings},
	{file: "customer_survey_2024.sav", split: "train", seed: 215, build: customerSurvey, codes: surveyCodes},
	{file: "mobile_plans.csv", split: "train", seed: 216, build: mobilePlans},
	{file: "tax_brackets.csv", split: "dev", seed: 217, build: taxBrackets},
	{file: "library_branches.csv", split: "train", seed: 218, build: libraryBranches},
	{file: "air_quality_daily.csv", split: "train", seed: 219, build: airQuality},
	{file: "fishing_catches.csv", split: "dev", seed: 220, build: fishingCatches},
	{file: "household_survey_w3.dta", split: "dev", seed: 221, build: householdSurvey, codes: householdCodes},
	{file: "menu_items.csv", split: "train", seed: 222, build: menuItems},
	{file: "bug_tracker.csv", split: "train", seed: 223, build: bugTracker},
	{file: "app_store_apps.parquet", split: "dev", seed: 224, build: appStore,
		parquet: "SELECT * REPLACE (string_split(languages, ';') AS languages) FROM src"},
	{file: "parking_citations.csv", split: "train", seed: 225, build: parkingCitations},
	{file: "podcast_episodes.csv", split: "train", seed: 226, build: podcastEpisodes},
	{file: "apartment_listings.csv", split: "dev", seed: 227, build: apartmentListings},
	{file: "bakery_sales_daily.csv", split: "train", seed: 228, build: bakerySales},
	{file: "solar_installations.parquet", split: "train", seed: 229, build: solarInstalls},
	{file: "video_game_sales.csv", split: "train", seed: 230, build: videoGames},
	{file: "conference_talks.csv", split: "dev", seed: 231, build: conferenceTalks},
	{file: "vaccination_clinics.csv", split: "train", seed: 232, build: vaccinationClinics},
	{file: "subway_ridership_monthly.csv", split: "train", seed: 233, build: subwayRidership},
	{file: "bird_sightings.csv", split: "dev", seed: 234, build: birdSightings},
	{file: "university_courses.csv", split: "train", seed: 235, build: universityCourses},
	{file: "pet_adoptions.csv", split: "train", seed: 236, build: petAdoptions},
	{file: "ecommerce_returns.parquet", split: "dev", seed: 237, build: ecommerceReturns},
	{file: "employee_engagement_2024.sav", split: "train", seed: 238, build: engagementSurvey, codes: engagementCodes},
	{file: "stock_prices_daily.csv", split: "train", seed: 239, build: stockPrices},
	{file: "national_park_visits.csv", split: "dev", seed: 240, build: parkVisits},
	{file: "loan_applications.csv", split: "train", seed: 241, build: loanApplications},
	{file: "food_delivery_orders.parquet", split: "train", seed: 242, build: foodDelivery,
		parquet: "SELECT * REPLACE (string_split(items, '|') AS items) FROM src"},
	{file: "volunteer_hours.csv", split: "dev", seed: 243, build: volunteerHours},
	{file: "car_rentals.csv", split: "train", seed: 244, build: carRentals},
	{file: "iris.sav", split: "dev", copyOf: "sav/iris.sav", licence: "tidyverse_haven.txt"},
	{file: "stata3_115.dta", split: "train", copyOf: "dta/stata3_115.dta", licence: "kshedden_datareader.txt"},
	{file: "messydata.sas7bdat", split: "train", copyOf: "sas7bdat/messydata.sas7bdat", licence: "curtisalexander_readstat-rs.txt"},
}

func main() {
	log := slog.New(slog.NewTextHandler(os.Stderr, nil))
	if err := run(context.Background(), os.Args[1:], log); err != nil {
		log.Error("gen failed", "error", err)
		os.Exit(1)
	}
}

func run(ctx context.Context, args []string, log *slog.Logger) error {
	fs := flag.NewFlagSet("gen", flag.ContinueOnError)
	dir := fs.String("dir", "parser/trainset", "the trainset folder")
	shared := fs.String("testdata", "../shared/testdata", "the shared test data, source of the copied tables")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if err := writeTables(ctx, *dir, *shared, log); err != nil {
		return err
	}
	return writeQuestions(ctx, *dir, log)
}

func writeTables(ctx context.Context, dir, shared string, log *slog.Logger) error {
	out := filepath.Join(dir, "tables")
	if err := os.MkdirAll(out, 0o755); err != nil {
		return fmt.Errorf("create %s: %w", out, err)
	}
	db, err := sql.Open("duckdb", "")
	if err != nil {
		return fmt.Errorf("open duckdb: %w", err)
	}
	defer db.Close()
	tmp, err := os.MkdirTemp("", "trainset-gen")
	if err != nil {
		return fmt.Errorf("temp dir: %w", err)
	}
	defer os.RemoveAll(tmp)
	for _, t := range tables {
		path := filepath.Join(out, t.file)
		if t.copyOf != "" {
			if err := copyShared(shared, t.copyOf, path, log); err != nil {
				return err
			}
			lic := filepath.Join(out, "LICENSE."+t.licence)
			if err := copyShared(shared, filepath.Join("licenses", t.licence), lic, log); err != nil {
				return err
			}
			continue
		}
		head, rows := t.build(newRNG(t.seed))
		data, err := csvBytes(head, rows)
		if err != nil {
			return fmt.Errorf("%s: %w", t.file, err)
		}
		if t.codes != nil {
			if err := writeCoded(path, head, rows, t.codes); err != nil {
				return fmt.Errorf("%s: %w", t.file, err)
			}
			log.Info("table", "file", t.file, "rows", len(rows))
			continue
		}
		if !strings.HasSuffix(t.file, ".parquet") {
			if err := os.WriteFile(path, data, 0o644); err != nil {
				return fmt.Errorf("write %s: %w", path, err)
			}
			log.Info("table", "file", t.file, "rows", len(rows))
			continue
		}
		src := filepath.Join(tmp, t.file+".csv")
		if err := os.WriteFile(src, data, 0o644); err != nil {
			return fmt.Errorf("write %s: %w", src, err)
		}
		sel := t.parquet
		if sel == "" {
			sel = "SELECT * FROM src"
		}
		q := fmt.Sprintf("COPY (WITH src AS (SELECT * FROM read_csv(%s)) %s) TO %s (FORMAT parquet)", quote(src), sel, quote(path))
		if _, err := db.ExecContext(ctx, q); err != nil {
			return fmt.Errorf("write %s: %w", path, err)
		}
		log.Info("table", "file", t.file, "rows", len(rows))
	}
	return nil
}

// copyShared copies a file of the shared test data to path; when the shared
// data is not there (it sits outside the repository), the committed copy
// stays.
func copyShared(shared, name, path string, log *slog.Logger) error {
	data, err := os.ReadFile(filepath.Join(shared, name))
	if err != nil {
		if _, serr := os.Stat(path); serr == nil {
			log.Warn("shared test data not found; keeping the copy", "file", path, "error", err)
			return nil
		}
		return fmt.Errorf("copy %s: %w", name, err)
	}
	if err := os.WriteFile(path, data, 0o644); err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	return nil
}

// writeCoded writes a Stata (.dta) or SPSS (.sav) file with the labels of cb.
func writeCoded(path string, head []string, rows [][]string, cb *codebook) error {
	var data []byte
	var err error
	switch filepath.Ext(path) {
	case ".dta":
		data, err = dtaBytes(head, rows, cb)
	case ".sav":
		data, err = savBytes(head, rows, cb)
	default:
		return fmt.Errorf("no coded format for %s", path)
	}
	if err != nil {
		return err
	}
	if err := os.WriteFile(path, data, 0o644); err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	return nil
}

func quote(s string) string { return "'" + strings.ReplaceAll(s, "'", "''") + "'" }

func csvBytes(head []string, rows [][]string) ([]byte, error) {
	var b bytes.Buffer
	w := csv.NewWriter(&b)
	if err := w.Write(head); err != nil {
		return nil, err
	}
	for i, r := range rows {
		if len(r) != len(head) {
			return nil, fmt.Errorf("row %d has %d fields, want %d", i+1, len(r), len(head))
		}
	}
	if err := w.WriteAll(rows); err != nil {
		return nil, err
	}
	return b.Bytes(), nil
}

// writeQuestions answers every question of questions.src.jsonl and writes
// questions.jsonl.
func writeQuestions(ctx context.Context, dir string, log *slog.Logger) error {
	qs, err := trainset.ReadQuestions(filepath.Join(dir, "questions.src.jsonl"))
	if err != nil {
		return err
	}
	split := map[string]string{}
	for _, t := range tables {
		split["tables/"+t.file] = t.split
	}
	tmp, err := os.MkdirTemp("", "trainset-answers")
	if err != nil {
		return fmt.Errorf("temp dir: %w", err)
	}
	defer os.RemoveAll(tmp)
	l, err := trainset.NewLoader(dir, tmp)
	if err != nil {
		return err
	}
	defer l.Close()
	if err := trainset.Check(qs); err != nil {
		return err
	}
	var b bytes.Buffer
	var failed []string
	err = trainset.ForEachTable(ctx, l, qs, func(q *trainset.Question, ans any, err error) {
		if err != nil {
			failed = append(failed, err.Error())
			return
		}
		q.Answer = ans
		q.Split = split[q.File]
	})
	if err != nil {
		return err
	}
	if len(failed) > 0 {
		return fmt.Errorf("%d questions failed:\n%s", len(failed), strings.Join(failed, "\n"))
	}
	for _, q := range qs {
		if q.Split == "" {
			return fmt.Errorf("%s: %s is not a table of the generator", q.ID, q.File)
		}
		enc := json.NewEncoder(&b)
		enc.SetEscapeHTML(false)
		if err := enc.Encode(q); err != nil {
			return fmt.Errorf("encode %s: %w", q.ID, err)
		}
	}
	path := filepath.Join(dir, "questions.jsonl")
	if err := os.WriteFile(path, b.Bytes(), 0o644); err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	log.Info("questions", "file", path, "count", len(qs))
	return nil
}
