package main

import (
	"fmt"
	"math"
	"sort"
	"strings"
	"time"
)

// placeNames makes n distinct invented place names (prefix + suffix).
func placeNames(r *rng, n int) []string {
	pre := []string{"Cedar", "Maple", "River", "Oak", "Pine", "Stone", "Fox", "Eagle", "Lake", "Hill", "Ash", "Birch", "Clear", "Elm", "Glen", "Marsh", "Red", "Silver", "Willow", "North"}
	suf := []string{"field", "brook", "ton", "dale", "wood", "ridge", "view", "port", "haven", "ford", "mont", "creek"}
	var all []string
	for _, p := range pre {
		for _, s := range suf {
			all = append(all, p+s)
		}
	}
	for i := len(all) - 1; i > 0; i-- {
		j := r.intn(i + 1)
		all[i], all[j] = all[j], all[i]
	}
	return all[:n]
}

// yesNo spells b as yes or no.
func yesNo(b bool, yes, no string) string {
	if b {
		return yes
	}
	return no
}

func airlineOnTime(r *rng) ([]string, [][]string) {
	carriers := []string{"Aerolux", "NorthStar Airlines", "Pacific Crest", "Summit Air", "Valley Express"}
	size := map[string]float64{"Aerolux": 900, "NorthStar Airlines": 1400, "Pacific Crest": 650, "Summit Air": 1100, "Valley Express": 380}
	type airport struct{ code, name string }
	airports := []airport{{"DEN", "Denver International"}, {"PHX", "Phoenix Sky Harbor International"}, {"SEA", "Seattle-Tacoma International"}}
	head := []string{"year", "month", "carrier", "airport", "airport_name", "arr_flights", "arr_del15", "carrier_delay_min", "weather_delay_min", "nas_delay_min", "late_aircraft_delay_min", "arr_cancelled", "arr_diverted", "on_time_pct"}
	var rows [][]string
	for _, y := range []int{2023, 2024} {
		for m := 1; m <= 12; m++ {
			for _, c := range carriers {
				for ai, a := range airports {
					if c == "Valley Express" && a.code == "SEA" {
						continue
					}
					share := []float64{1, 0.8, 0.6}[ai]
					n := int(size[c] * share * r.uniform(0.85, 1.1))
					if y == 2024 {
						n = int(float64(n) * 1.04)
					}
					winter := m == 12 || m <= 2
					p := 0.17 + r.normal(0, 0.03)
					if winter && a.code != "PHX" {
						p += 0.06
					}
					if c == "Valley Express" {
						p += 0.05
					}
					if m == 7 || m == 8 {
						p += 0.03
					}
					del := int(float64(n) * clamp(p, 0.05, 0.5))
					perDelay := r.uniform(55, 75)
					total := float64(del) * perDelay
					wx := 0.06
					if winter && a.code != "PHX" {
						wx = 0.18
					}
					carrierMin := ""
					if !r.chance(0.03) {
						carrierMin = f(math.Round(total*0.33), 0)
					}
					canc := int(float64(n) * clamp(r.normal(0.012, 0.006)+boolf(winter && a.code == "DEN")*0.02, 0, 0.1))
					div := r.between(0, 4)
					ontime := 100 * float64(n-del-canc-div) / float64(n)
					rows = append(rows, []string{itoa(y), itoa(m), c, a.code, a.name, itoa(n), itoa(del), carrierMin,
						f(math.Round(total*wx), 0), f(math.Round(total*0.25), 0), f(math.Round(total*(0.42-wx+0.06)), 0), itoa(canc), itoa(div), f(ontime, 1)})
				}
			}
		}
	}
	return head, rows
}

func schoolDistricts(r *rng) ([]string, [][]string) {
	counties := []string{"Alder County", "Bristow County", "Calloway County", "Dunmore County", "Everly County", "Fairhope County", "Granger County"}
	locales := []string{"City", "Suburb", "Town", "Rural"}
	kinds := []string{"Unified", "School District", "ISD", "County Schools", "Public Schools"}
	head := []string{"District Name", "County", "Locale", "Enrollment", "Schools", "Teachers (FTE)", "Student-Teacher Ratio", "Per-Pupil Spending ($)", "Graduation Rate (%)", "Chronic Absence (%)", "Title I", "Superintendent", "Established"}
	var rows [][]string
	places := placeNames(r, 110)
	for i := range 110 {
		loc := weighted(r, locales, []float64{2, 4, 3, 4})
		var enr int
		switch loc {
		case "City":
			enr = r.between(18000, 95000)
		case "Suburb":
			enr = r.between(4000, 30000)
		case "Town":
			enr = r.between(1500, 8000)
		default:
			enr = r.between(250, 3000)
		}
		schools := max(1, int(float64(enr)/r.uniform(450, 700)))
		ratio := clamp(r.normal(15.5, 2.2), 10, 24)
		if loc == "Rural" {
			ratio -= 2
		}
		teachers := float64(enr) / ratio
		spend := r.normal(14500, 2500)
		if loc == "Rural" {
			spend += 1500
		}
		grad := clamp(r.normal(86, 6), 60, 99.5)
		absence := ""
		if !r.chance(0.1) {
			absence = f(clamp(r.normal(17, 6)+(90-grad)*0.4, 3, 45), 1)
		}
		title := "No"
		if r.chance(0.55) || grad < 80 {
			title = "Yes"
		}
		est := r.between(1852, 1975)
		rows = append(rows, []string{places[i] + " " + weighted(r, kinds, []float64{3, 3, 2, 1, 2}), pick(r, counties), loc, itoa(enr), itoa(schools),
			f(teachers, 1), f(ratio, 1), f(spend, 0), f(grad, 1), absence, title, person(r), itoa(est)})
	}
	return head, rows
}

func clinicalTrial(r *rng) ([]string, [][]string) {
	sites := []string{"Boston", "Cleveland", "Houston", "Portland", "Atlanta", "Minneapolis"}
	arms := []string{"Placebo", "Drug 10 mg", "Drug 40 mg"}
	effect := map[string]float64{"Placebo": -2, "Drug 10 mg": -8, "Drug 40 mg": -13}
	aes := []string{"headache", "dizziness", "nausea", "fatigue", "cough", "rash", "insomnia"}
	head := []string{"subject_id", "site", "arm", "sex", "age_years", "bmi", "smoker", "randomized_on", "baseline_sbp_mmhg", "week12_sbp_mmhg", "sbp_change_mmhg", "completed", "adverse_events", "serious_ae"}
	var rows [][]string
	for i := range 240 {
		arm := arms[i%3]
		sex := pick(r, []string{"F", "M"})
		age := r.between(35, 79)
		bmi := clamp(r.normal(29, 4.5), 19, 45)
		smoker := "N"
		if r.chance(0.22) {
			smoker = "Y"
		}
		base := math.Round(clamp(r.normal(152, 9), 135, 185))
		done := !r.chance(0.09 + boolf(arm == "Drug 40 mg")*0.06)
		w12, ch := "", ""
		if done {
			v := math.Round(base + effect[arm] + r.normal(0, 7))
			w12, ch = f(v, 0), f(v-base, 0)
		}
		var ae []string
		p := map[string]float64{"Placebo": 0.25, "Drug 10 mg": 0.35, "Drug 40 mg": 0.5}[arm]
		if r.chance(p) {
			ae = sample(r, aes, weighted(r, []int{1, 2, 3}, []float64{6, 3, 1}))
		}
		serious := len(ae) > 0 && r.chance(0.08)
		rand := day("2023-03-01").AddDate(0, 0, r.intn(240))
		rows = append(rows, []string{fmt.Sprintf("SUBJ-%04d", 1+i), pick(r, sites), arm, sex, itoa(age), f(bmi, 1), smoker, ymd(rand), f(base, 0), w12, ch,
			fmt.Sprint(done), strings.Join(ae, "|"), fmt.Sprint(serious)})
	}
	return head, rows
}

func retailStores(r *rng) ([]string, [][]string) {
	type city struct{ name, region string }
	cities := []city{{"Lyon", "Auvergne-Rhone-Alpes"}, {"Grenoble", "Auvergne-Rhone-Alpes"}, {"Lille", "Hauts-de-France"}, {"Amiens", "Hauts-de-France"},
		{"Nantes", "Pays de la Loire"}, {"Angers", "Pays de la Loire"}, {"Toulouse", "Occitanie"}, {"Montpellier", "Occitanie"}, {"Bordeaux", "Nouvelle-Aquitaine"}}
	formats := []string{"Supermarket", "Express", "Hypermarket", "Outlet"}
	head := []string{"StoreID", "StoreName", "City", "Region", "Format", "OpenedYear", "FloorAreaSqm", "Employees", "AnnualRevenueEUR", "CustomerRating", "HasPharmacy", "HasParking", "ManagerName", "LastRenovated"}
	var rows [][]string
	count := map[string]int{}
	for i := range 90 {
		c := weighted(r, cities, []float64{5, 2, 4, 2, 4, 2, 5, 3, 4})
		fm := weighted(r, formats, []float64{5, 4, 2, 1})
		count[c.name]++
		var area float64
		switch fm {
		case "Express":
			area = r.uniform(180, 450)
		case "Supermarket":
			area = r.uniform(1200, 2800)
		case "Hypermarket":
			area = r.uniform(6000, 12000)
		default:
			area = r.uniform(800, 2000)
		}
		emp := int(area/r.uniform(45, 70)) + 4
		rev := area * r.uniform(5200, 7800)
		if fm == "Express" {
			rev *= 1.6
		}
		rating := ""
		if !r.chance(0.08) {
			rating = f(clamp(r.normal(3.9, 0.45), 2, 5), 1)
		}
		pharm := "N"
		if fm == "Hypermarket" || (fm == "Supermarket" && r.chance(0.3)) {
			pharm = "Y"
		}
		park := fm != "Express" || r.chance(0.1)
		opened := r.between(1978, 2022)
		ren := ""
		if opened < 2012 && r.chance(0.6) {
			ren = itoa(r.between(max(opened+5, 2005), 2024))
		}
		name := fmt.Sprintf("%s %s %d", c.name, fm, count[c.name])
		if fm == "Express" {
			name = fmt.Sprintf("Express %s %d", c.name, count[c.name])
		}
		rows = append(rows, []string{fmt.Sprintf("ST-%d", 101+i), name, c.name, c.region, fm, itoa(opened), f(area, 0), itoa(emp), f(math.Round(rev/1000)*1000, 0), rating,
			pharm, strings.ToUpper(fmt.Sprint(park)), person(r), ren})
	}
	return head, rows
}

func warehouseStock(r *rng) ([]string, [][]string) {
	type item struct {
		desc, cat, supplier string
		cost, kg            float64
		haz                 bool
	}
	base := []struct {
		noun, cat string
		cost, kg  float64
		haz       bool
	}{
		{"Pallet Wrap Film", "Packaging", 18, 2.4, false}, {"Cardboard Box Large", "Packaging", 1.2, 0.6, false}, {"Bubble Mailer", "Packaging", 0.35, 0.05, false},
		{"Packing Tape", "Packaging", 2.1, 0.2, false}, {"Safety Gloves", "PPE", 3.5, 0.1, false}, {"Hi-Vis Vest", "PPE", 4.2, 0.15, false},
		{"Hard Hat", "PPE", 9.8, 0.4, false}, {"Ear Defenders", "PPE", 12.5, 0.3, false}, {"Degreaser 5L", "Chemicals", 14, 5.3, true},
		{"Floor Cleaner 5L", "Chemicals", 9.5, 5.2, true}, {"Lubricant Spray", "Chemicals", 5.6, 0.45, true}, {"Hand Pallet Truck", "Equipment", 320, 78, false},
		{"Step Ladder", "Equipment", 65, 7.5, false}, {"Shelving Unit", "Equipment", 140, 32, false}, {"Barcode Scanner", "Electronics", 189, 0.3, false},
		{"Label Printer", "Electronics", 245, 2.1, false}, {"Lithium Battery Pack", "Electronics", 58, 1.1, true}, {"LED Work Light", "Electronics", 39, 1.4, false},
	}
	suppliers := []string{"Ackroyd Supplies", "Brightwater Trading", "Castlegate Ltd", "Dunmore Industrial"}
	var items []item
	for _, b := range base {
		for _, v := range []string{"", " (Pack of 10)", " Pro"} {
			if v != "" && r.chance(0.5) {
				continue
			}
			c := b.cost
			k := b.kg
			if v == " (Pack of 10)" {
				c, k = c*9, k*10
			} else if v == " Pro" {
				c *= 1.4
			}
			items = append(items, item{b.noun + v, b.cat, pick(r, suppliers), c, k, b.haz})
		}
	}
	warehouses := []string{"Leeds", "Bristol", "Glasgow", "Reading"}
	head := []string{"sku", "item_description", "category", "warehouse", "bin_location", "qty_on_hand", "reorder_point", "unit_cost_gbp", "unit_weight_kg", "last_counted", "supplier", "hazardous", "discontinued"}
	var rows [][]string
	for i, it := range items {
		sku := fmt.Sprintf("WH-%05d", 10000+i*7+r.intn(7))
		for _, w := range warehouses {
			if r.chance(0.2) {
				continue
			}
			rp := r.between(5, 60)
			q := int(math.Max(0, r.normal(float64(rp)*2.2, float64(rp))))
			if r.chance(0.06) {
				q = 0
			}
			haz := "n"
			if it.haz {
				haz = "y"
			}
			disc := "0"
			if r.chance(0.07) {
				disc = "1"
			}
			bin := fmt.Sprintf("%c-%02d-%d", 'A'+rune(r.intn(6)), r.between(1, 24), r.between(1, 5))
			rows = append(rows, []string{sku, it.desc, it.cat, w, bin, itoa(q), itoa(rp), f(it.cost*r.uniform(0.97, 1.03), 2), f(it.kg, 2),
				ymd(day("2024-01-08").AddDate(0, 0, r.intn(170))), it.supplier, haz, disc})
		}
	}
	return head, rows
}

func cropYields(r *rng) ([]string, [][]string) {
	provinces := []string{"Northvale", "Easthaven", "Southmoor", "Westreach", "Highcrest", "Lowmarsh"}
	type crop struct {
		name       string
		yield, ha  float64
		irrigation float64
	}
	crops := []crop{{"Wheat", 3.4, 42000, 10}, {"Maize", 6.1, 30000, 25}, {"Rice", 4.6, 12000, 80}, {"Soybeans", 2.7, 18000, 8}}
	head := []string{"province", "crop", "year", "area_harvested_ha", "production_t", "yield_t_ha", "rainfall_mm", "irrigated_pct", "fertilizer_kg_per_ha", "drought_declared"}
	var rows [][]string
	for _, p := range provinces {
		pf := r.uniform(0.7, 1.3)
		rainBase := r.uniform(420, 900)
		for y := 2014; y <= 2023; y++ {
			rain := math.Max(150, rainBase*(1+0.22*r.normal(0, 1)))
			drought := rain < rainBase*0.7
			for _, c := range crops {
				if c.name == "Rice" && rainBase < 520 {
					continue
				}
				yield := c.yield * pf * (1 + 0.012*float64(y-2014)) * r.uniform(0.9, 1.1)
				if drought {
					yield *= 0.72
				}
				area := c.ha * r.uniform(0.5, 1.5)
				fert := ""
				if !r.chance(0.06) {
					fert = f(r.uniform(60, 190), 0)
				}
				dr := "no"
				if drought {
					dr = "yes"
				}
				rows = append(rows, []string{p, c.name, itoa(y), f(area, 0), f(area*yield, 0), f(yield, 2), f(rain, 0), f(clamp(c.irrigation+r.normal(0, 6), 0, 100), 1), fert, dr})
			}
		}
	}
	return head, rows
}

func rideTrips(r *rng) ([]string, [][]string) {
	type city struct {
		name  string
		zones []string
		rate  float64
	}
	cities := []city{
		{"Chicago", []string{"Loop", "River North", "Wicker Park", "Hyde Park", "O'Hare"}, 1.9},
		{"Austin", []string{"Downtown", "East Austin", "South Congress", "The Domain", "Airport"}, 1.7},
		{"Miami", []string{"Brickell", "Wynwood", "South Beach", "Little Havana", "Airport"}, 2.0},
	}
	vehicles := []string{"Standard", "XL", "Comfort", "Green"}
	vmult := map[string]float64{"Standard": 1, "XL": 1.45, "Comfort": 1.25, "Green": 1.05}
	drivers := make([]string, 40)
	for i := range drivers {
		drivers[i] = person(r)
	}
	head := []string{"trip_id", "pickup_at", "dropoff_at", "city", "pickup_zone", "dropoff_zone", "driver_name", "vehicle_type", "distance_miles", "duration_seconds", "fare_usd", "tip_usd", "surge_multiplier", "payment_type", "rider_rating", "shared_ride", "promo_code"}
	var rows [][]string
	t0 := time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)
	for range 400 {
		c := weighted(r, cities, []float64{4, 3, 3})
		at := t0.Add(time.Duration(r.intn(91*24*60)) * time.Minute)
		h := at.Hour()
		if h < 6 && r.chance(0.6) {
			at = at.Add(time.Duration(r.between(6, 12)) * time.Hour)
			h = at.Hour()
		}
		pz := pick(r, c.zones)
		dz := pick(r, c.zones)
		dist := math.Max(0.4, math.Exp(r.normal(1.3, 0.6)))
		if strings.Contains(pz+dz, "Airport") || strings.Contains(pz+dz, "O'Hare") {
			dist += r.uniform(6, 12)
		}
		dur := int(dist*r.uniform(150, 260)) + r.between(120, 400)
		v := weighted(r, vehicles, []float64{10, 2, 3, 2})
		surge := 1.0
		if (h >= 7 && h <= 9 || h >= 16 && h <= 19) && r.chance(0.35) {
			surge = pick(r, []float64{1.2, 1.5, 1.8, 2.1})
		}
		shared := v == "Standard" && r.chance(0.2)
		fare := (2.5 + c.rate*dist + 0.3*float64(dur)/60) * vmult[v] * surge
		if shared {
			fare *= 0.75
		}
		pay := weighted(r, []string{"card", "apple pay", "google pay", "cash"}, []float64{8, 3, 2, 1})
		tip := 0.0
		if pay != "cash" && r.chance(0.55) {
			tip = math.Round(fare*pick(r, []float64{0.1, 0.15, 0.2})*100) / 100
		}
		rating := ""
		if r.chance(0.7) {
			rating = itoa(weighted(r, []int{5, 4, 3, 2, 1}, []float64{14, 5, 1.5, 0.6, 0.4}))
		}
		promo := ""
		if r.chance(0.08) {
			promo = pick(r, []string{"WINTER10", "NEWRIDER", "AIRPORT5"})
		}
		rows = append(rows, []string{"", at.Format("2006-01-02 15:04:05"), at.Add(time.Duration(dur) * time.Second).Format("2006-01-02 15:04:05"), c.name, pz, dz,
			pick(r, drivers), v, f(dist, 2), itoa(dur), f(fare, 2), f(tip, 2), f(surge, 1), pay, rating, fmt.Sprint(shared), promo})
	}
	sort.SliceStable(rows, func(a, b int) bool { return rows[a][1] < rows[b][1] })
	for i := range rows {
		rows[i][0] = fmt.Sprintf("T%06d", 100001+i)
	}
	return head, rows
}

func hotelBookings(r *rng) ([]string, [][]string) {
	hotels := []string{"City Hotel", "Resort Hotel", "Airport Inn"}
	rooms := []string{"Standard", "Deluxe", "Suite", "Family"}
	rate := map[string]float64{"Standard": 95, "Deluxe": 140, "Suite": 260, "Family": 170}
	countries := []string{"PRT", "GBR", "FRA", "ESP", "DEU", "USA", "NLD", "IRL", "BRA", "ITA"}
	channels := []string{"Direct", "Online TA", "Corporate", "Travel Agent"}
	head := []string{"booking_ref", "hotel", "room_type", "guest_name", "guest_country", "booked_on", "check_in", "check_out", "nights", "adults", "children", "adr_eur", "total_eur", "channel", "is_canceled", "breakfast_included", "special_requests", "loyalty_member"}
	var rows [][]string
	for i := range 350 {
		h := weighted(r, hotels, []float64{5, 4, 2})
		room := weighted(r, rooms, []float64{8, 4, 1, 2})
		in := day("2024-01-01").AddDate(0, 0, r.intn(274))
		lead := int(math.Exp(r.normal(3.3, 1)))
		nights := r.between(1, 4)
		if h == "Resort Hotel" {
			nights = r.between(2, 10)
		} else if h == "Airport Inn" {
			nights = weighted(r, []int{1, 2, 3}, []float64{6, 3, 1})
		}
		adults := weighted(r, []int{1, 2, 3}, []float64{3, 8, 1})
		kids := 0
		if room == "Family" {
			kids = r.between(1, 3)
		} else if r.chance(0.08) {
			kids = 1
		}
		season := 1.0
		if in.Month() >= 6 && in.Month() <= 8 {
			season = 1.35
		}
		adr := rate[room] * season * r.uniform(0.85, 1.15)
		if h == "Airport Inn" {
			adr *= 0.8
		}
		ch := weighted(r, channels, []float64{4, 7, 2, 2})
		canc := "0"
		if r.chance(0.18 + boolf(ch == "Online TA")*0.1) {
			canc = "1"
		}
		bf := "No"
		if r.chance(0.45) {
			bf = "Yes"
		}
		rows = append(rows, []string{fmt.Sprintf("BK-24-%04d", 1+i), h, room, person(r), weighted(r, countries, []float64{6, 5, 4, 4, 3, 2, 2, 1, 1, 2}),
			ymd(in.AddDate(0, 0, -lead)), ymd(in), ymd(in.AddDate(0, 0, nights)), itoa(nights), itoa(adults), itoa(kids), f(adr, 2), f(adr*float64(nights), 2), ch, canc, bf,
			itoa(weighted(r, []int{0, 1, 2, 3}, []float64{8, 4, 2, 1})), strings.ToUpper(fmt.Sprint(r.chance(0.3)))})
	}
	return head, rows
}

func powerPlants(r *rng) ([]string, [][]string) {
	type fuel struct {
		name          string
		mw, cf, co2   float64
		weight        float64
		firstY, lastY int
	}
	fuels := []fuel{{"Coal", 900, 48, 0.95, 3, 1968, 2010}, {"Gas", 600, 45, 0.42, 5, 1980, 2022}, {"Nuclear", 1800, 88, 0, 1.5, 1972, 2012},
		{"Hydro", 350, 40, 0, 3, 1950, 2018}, {"Wind", 180, 33, 0, 5, 2002, 2023}, {"Solar", 120, 21, 0, 4, 2010, 2023}, {"Biomass", 60, 62, 0.05, 1.5, 1995, 2021}}
	countries := []string{"Norway", "Poland", "Spain", "Germany", "Chile", "Vietnam", "Canada"}
	owners := []string{"Nordgrid", "Helios Power", "Vattenkraft AB", "Iberia Energia", "Andes Generation", "Polska Moc", "Mekong Utilities", "Maple Hydro"}
	head := []string{"plant_name", "country", "primary_fuel", "capacity_mw", "commissioning_year", "owner", "generation_gwh_2022", "generation_gwh_2023", "capacity_factor_pct", "co2_emissions_kt", "status", "chp"}
	var rows [][]string
	places := placeNames(r, 150)
	w := make([]float64, len(fuels))
	for i, fu := range fuels {
		w[i] = fu.weight
	}
	for i := range 150 {
		fu := weighted(r, fuels, w)
		mw := math.Round(fu.mw * math.Exp(r.normal(0, 0.5)))
		cf := clamp(fu.cf+r.normal(0, 7), 5, 95)
		year := r.between(fu.firstY, fu.lastY)
		status := "Operating"
		if fu.name == "Coal" && r.chance(0.3) || r.chance(0.03) {
			status = pick(r, []string{"Retired", "Mothballed"})
		}
		g22 := mw * 8.76 * cf / 100
		g23s := ""
		g23 := g22 * r.uniform(0.85, 1.12)
		if status != "Operating" {
			g23 = 0
			g22 *= r.uniform(0, 0.4)
		}
		if !r.chance(0.05) {
			g23s = f(g23, 0)
		}
		co2 := f(g22*fu.co2, 0)
		if fu.co2 > 0.3 && r.chance(0.1) {
			co2 = ""
		}
		chp := "N"
		if (fu.name == "Gas" || fu.name == "Biomass" || fu.name == "Coal") && r.chance(0.3) {
			chp = "Y"
		}
		suffix := map[string]string{"Coal": "Power Station", "Gas": "Energy Centre", "Nuclear": "Nuclear Plant", "Hydro": "Dam", "Wind": "Wind Farm", "Solar": "Solar Park", "Biomass": "Bioenergy Plant"}[fu.name]
		rows = append(rows, []string{places[i] + " " + suffix, pick(r, countries), fu.name, f(mw, 0), itoa(year), pick(r, owners), f(g22, 0), g23s, f(cf, 1), co2, status, chp})
	}
	return head, rows
}

func museumVisitors(r *rng) ([]string, [][]string) {
	type museum struct {
		name         string
		base, price  float64
		closedMonday bool
	}
	museums := []museum{{"Natural History Museum", 2100, 14, false}, {"Modern Art Gallery", 1200, 18, true}, {"Maritime Museum", 650, 11, true}, {"Science Centre", 1600, 16, false}}
	head := []string{"date", "museum", "weekday", "visitors", "adult_tickets", "child_tickets", "school_groups", "ticket_revenue_eur", "special_exhibition", "free_entry", "rain_mm"}
	var rows [][]string
	start := day("2024-01-01")
	rain := make([]float64, 91)
	for d := range rain {
		if r.chance(0.45) {
			rain[d] = math.Round(r.uniform(0.2, 18)*10) / 10
		}
	}
	for d := range 91 {
		date := start.AddDate(0, 0, d)
		wd := date.Weekday()
		for mi, m := range museums {
			if m.closedMonday && wd == time.Monday {
				continue
			}
			mult := 1.0
			if wd == time.Saturday || wd == time.Sunday {
				mult = 1.7
			}
			if rain[d] > 5 {
				mult *= 1.2
			}
			special := mi == 1 && d >= 30 && d < 75 || mi == 3 && d >= 60
			if special {
				mult *= 1.3
			}
			free := date.Day() == 1 || (mi == 0 && wd == time.Wednesday && date.Day() <= 7)
			if free {
				mult *= 1.6
			}
			v := int(m.base * mult * r.uniform(0.8, 1.2))
			groups := 0
			if wd >= time.Tuesday && wd <= time.Friday && r.chance(0.5) {
				groups = r.between(1, 4)
			}
			child := int(float64(v) * r.uniform(0.15, 0.35))
			if mi == 1 {
				child = int(float64(v) * r.uniform(0.03, 0.08))
			}
			adult := v - child
			rev := float64(adult)*m.price + float64(child)*m.price*0.5
			if free {
				rev = 0
			}
			sp, fr := "no", "N"
			if special {
				sp = "yes"
			}
			if free {
				fr = "Y"
			}
			rows = append(rows, []string{ymd(date), m.name, wd.String()[:3], itoa(v), itoa(adult), itoa(child), itoa(groups), f(rev, 2), sp, fr, f(rain[d], 1)})
		}
	}
	return head, rows
}

func gymMembers(r *rng) ([]string, [][]string) {
	tiers := []string{"Basic", "Plus", "Premium"}
	fee := map[string]float64{"Basic": 29.99, "Plus": 49.99, "Premium": 79.99}
	classes := []string{"yoga", "spin", "pilates", "hiit", "boxing", "zumba", "aqua"}
	clubs := []string{"Downtown", "Riverside", "Northgate", "Westfield"}
	sources := []string{"friend", "instagram", "walk-in", "corporate", "flyer"}
	head := []string{"member_id", "first_name", "last_name", "gender", "age", "join_date", "home_club", "membership_tier", "monthly_fee_usd", "visits_last_30d", "avg_session_minutes", "personal_trainer", "classes", "churned", "referral_source"}
	var rows [][]string
	for i := range 250 {
		g := weighted(r, []string{"F", "M", "X"}, []float64{10, 10, 1})
		name := personOf(r, map[string]string{"F": "F", "M": "M", "X": pick(r, []string{"F", "M"})}[g])
		parts := strings.SplitN(name, " ", 2)
		tier := weighted(r, tiers, []float64{5, 4, 2})
		join := day("2019-01-01").AddDate(0, 0, r.intn(1900))
		visits := int(math.Max(0, r.normal(9, 5)))
		if tier == "Premium" {
			visits += 3
		}
		churn := visits < 4 && r.chance(0.6) || r.chance(0.08)
		if churn {
			visits = r.between(0, 2)
		}
		pt := tier == "Premium" && r.chance(0.5) || r.chance(0.05)
		var cs []string
		if r.chance(0.55) {
			cs = sample(r, classes, weighted(r, []int{1, 2, 3}, []float64{5, 3, 1}))
		}
		ref := ""
		if r.chance(0.75) {
			ref = weighted(r, sources, []float64{4, 3, 3, 2, 1})
		}
		ch := "no"
		if churn {
			ch = "yes"
		}
		fe := fee[tier]
		if ref == "corporate" {
			fe = math.Round(fe*0.8*100) / 100
		}
		rows = append(rows, []string{fmt.Sprintf("M%05d", 20001+i), parts[0], parts[1], g, itoa(r.between(17, 71)), ymd(join), pick(r, clubs), tier, f(fe, 2), itoa(visits),
			itoa(int(clamp(r.normal(55, 15), 20, 120))), yesNo(pt, "True", "False"), strings.Join(cs, "; "), ch, ref})
	}
	return head, rows
}

func callCentre(r *rng) ([]string, [][]string) {
	channels := []string{"Phone", "Email", "Chat", "Social"}
	cats := []string{"Billing", "Technical", "Account", "Delivery", "Complaint"}
	tagsFor := map[string][]string{
		"Billing": {"refund", "invoice", "double charge", "payment"}, "Technical": {"login", "outage", "app crash", "password"},
		"Account": {"address change", "password", "close account"}, "Delivery": {"late", "damaged", "lost parcel", "refund"},
		"Complaint": {"staff", "refund", "escalation"},
	}
	agents := []string{"Amira Haddad", "Bruno Costa", "Chloe Martin", "Deepak Rao", "Eva Lindqvist", "Felix Weber", "Gina Rossi", "Hassan Iqbal"}
	head := []string{"ticket_no", "opened_at", "closed_at", "channel", "category", "priority", "agent", "queue_wait_seconds", "handle_time_seconds", "csat", "escalated", "resolved_first_contact", "tags"}
	var rows [][]string
	t0 := time.Date(2024, 4, 1, 8, 0, 0, 0, time.UTC)
	for range 400 {
		at := t0.Add(time.Duration(r.intn(61*24*60)) * time.Minute)
		if at.Hour() < 7 || at.Hour() > 21 {
			at = at.Add(-time.Duration(at.Hour()-8) * time.Hour)
		}
		ch := weighted(r, channels, []float64{6, 4, 5, 1})
		cat := weighted(r, cats, []float64{5, 4, 3, 4, 1})
		pr := weighted(r, []string{"P1", "P2", "P3", "P4"}, []float64{1, 3, 6, 3})
		wait := 0
		switch ch {
		case "Phone":
			wait = int(math.Exp(r.normal(5, 0.8)))
		case "Chat":
			wait = int(math.Exp(r.normal(4, 0.7)))
		default:
			wait = int(math.Exp(r.normal(8.5, 0.9)))
		}
		handle := int(math.Exp(r.normal(6.2, 0.5)))
		if cat == "Technical" {
			handle = handle * 3 / 2
		}
		esc := cat == "Complaint" && r.chance(0.5) || pr == "P1" && r.chance(0.4) || r.chance(0.05)
		fcr := !esc && r.chance(0.7)
		closed := ""
		open := at.After(t0.AddDate(0, 0, 55)) && r.chance(0.5) || r.chance(0.03)
		if !open {
			hours := r.uniform(0.2, 30)
			if esc {
				hours += r.uniform(24, 96)
			}
			closed = at.Add(time.Duration(hours * float64(time.Hour))).Truncate(time.Minute).Format("2006-01-02 15:04:05")
		}
		csat := ""
		if !open && r.chance(0.6) {
			base := 4.2
			if esc {
				base = 2.8
			}
			csat = itoa(int(clamp(math.Round(r.normal(base, 0.9)), 1, 5)))
		}
		tags := sample(r, tagsFor[cat], r.between(1, 2))
		var q []string
		for _, t := range tags {
			q = append(q, "'"+t+"'")
		}
		esct := "No"
		if esc {
			esct = "Yes"
		}
		rows = append(rows, []string{"", at.Format("2006-01-02 15:04:05"), closed, ch, cat, pr, pick(r, agents), itoa(wait), itoa(handle), csat, esct, strings.ToUpper(fmt.Sprint(fcr)), "[" + strings.Join(q, ", ") + "]"})
	}
	sort.SliceStable(rows, func(a, b int) bool { return rows[a][1] < rows[b][1] })
	for i := range rows {
		rows[i][0] = fmt.Sprintf("CS-%05d", 30001+i)
	}
	return head, rows
}

func shippingContainers(r *rng) ([]string, [][]string) {
	vessels := []string{"Maersk Halden", "Ever Brightwood", "CMA Lyra", "MSC Oriana", "Hapag Tauern", "ONE Kestrel"}
	owners := []string{"MSKU", "TGHU", "CMAU", "MSCU", "HLXU", "ONEU"}
	type lane struct {
		from, to string
		days     int
	}
	lanes := []lane{{"Shanghai", "Rotterdam", 34}, {"Shanghai", "Los Angeles", 17}, {"Singapore", "Hamburg", 28}, {"Busan", "Long Beach", 13},
		{"Ningbo", "Antwerp", 33}, {"Rotterdam", "New York", 11}, {"Singapore", "Felixstowe", 27}}
	cargos := []string{"Electronics", "Furniture", "Textiles", "Machinery", "Frozen Food", "Fresh Fruit", "Chemicals", "Auto Parts"}
	shippers := []string{"Orient Freight", "Bluewater Logistics", "Kestrel Forwarding", "Harbour & Co", "Silk Route Export"}
	head := []string{"container_no", "vessel", "voyage", "origin_port", "destination_port", "departed", "arrived", "size_ft", "teu", "gross_weight_kg", "cargo_type", "reefer", "customs_hold", "declared_value_usd", "shipper"}
	var rows [][]string
	for range 220 {
		vi := r.intn(len(vessels))
		ln := pick(r, lanes)
		dep := day("2024-01-05").AddDate(0, 0, r.intn(170))
		arr := ""
		if dep.AddDate(0, 0, ln.days).Before(day("2024-06-20")) || r.chance(0.1) {
			arr = ymd(dep.AddDate(0, 0, ln.days+r.between(-2, 6)))
		}
		size := weighted(r, []int{20, 40, 45}, []float64{4, 6, 1})
		teu := map[int]string{20: "1", 40: "2", 45: "2.25"}[size]
		cargo := weighted(r, cargos, []float64{4, 3, 4, 3, 2, 1, 1, 2})
		reefer := "N"
		if cargo == "Frozen Food" || cargo == "Fresh Fruit" {
			reefer = "Y"
		}
		w := float64(size) / 20 * r.uniform(6000, 19000)
		hold := "no"
		if r.chance(0.07) || cargo == "Chemicals" && r.chance(0.25) {
			hold = "yes"
		}
		val := w * map[string]float64{"Electronics": 28, "Furniture": 4, "Textiles": 7, "Machinery": 12, "Frozen Food": 3, "Fresh Fruit": 2.2, "Chemicals": 5, "Auto Parts": 9}[cargo] * r.uniform(0.7, 1.3)
		no := fmt.Sprintf("%s%07d", owners[r.intn(len(owners))], 1000000+r.intn(8999999))
		rows = append(rows, []string{no, vessels[vi], fmt.Sprintf("%03dW", 100+vi*10+int(dep.Month())), ln.from, ln.to, ymd(dep), arr, itoa(size), teu, f(w, 0), cargo, reefer, hold, f(val, 0), pick(r, shippers)})
	}
	return head, rows
}

func wineRatings(r *rng) ([]string, [][]string) {
	type origin struct {
		country, region string
		varieties       []string
	}
	origins := []origin{
		{"France", "Bordeaux", []string{"Merlot", "Cabernet Sauvignon"}}, {"France", "Burgundy", []string{"Pinot Noir", "Chardonnay"}},
		{"Italy", "Tuscany", []string{"Sangiovese"}}, {"Italy", "Piedmont", []string{"Nebbiolo", "Barbera"}},
		{"Spain", "Rioja", []string{"Tempranillo"}}, {"US", "Napa Valley", []string{"Cabernet Sauvignon", "Chardonnay"}},
		{"US", "Willamette Valley", []string{"Pinot Noir"}}, {"Argentina", "Mendoza", []string{"Malbec"}},
		{"Australia", "Barossa Valley", []string{"Shiraz"}}, {"New Zealand", "Marlborough", []string{"Sauvignon Blanc", "Pinot Noir"}},
	}
	descs := []string{"cherry", "oak", "vanilla", "blackcurrant", "citrus", "minerality", "tobacco", "plum", "spice", "floral", "leather", "green apple"}
	tasters := []string{"Ana Ferreira", "Marcus Lind", "Jo Whitfield", "Paolo Gallo", "Renee Dubois"}
	head := []string{"wine", "winery", "country", "region", "variety", "vintage", "price_usd", "points", "taster", "descriptors", "organic"}
	var rows [][]string
	seen := map[string]bool{}
	for len(rows) < 300 {
		o := weighted(r, origins, []float64{4, 3, 3, 2, 3, 4, 2, 3, 2, 2})
		v := pick(r, o.varieties)
		winery := pick(r, []string{"Domaine", "Chateau", "Bodega", "Tenuta", "Estate", "Cellars"}) + " " + pick(r, lastNames)
		vint := r.between(2012, 2021)
		name := fmt.Sprintf("%s %d %s (%s)", winery, vint, v, o.region)
		if seen[name] {
			continue
		}
		seen[name] = true
		pts := int(clamp(math.Round(r.normal(88, 3)), 80, 100))
		price := ""
		if !r.chance(0.07) {
			price = f(math.Round(math.Exp(r.normal(3.3, 0.55))*float64(pts-70)/18), 0)
		}
		taster := ""
		if !r.chance(0.15) {
			taster = pick(r, tasters)
		}
		ds := sample(r, descs, r.between(2, 4))
		var q []string
		for _, d := range ds {
			q = append(q, "'"+d+"'")
		}
		rows = append(rows, []string{name, winery, o.country, o.region, v, itoa(vint), price, itoa(pts), taster, "[" + strings.Join(q, ", ") + "]", yesNo(r.chance(0.2), "True", "False")})
	}
	return head, rows
}

var surveyCodes = &codebook{
	label: "Customer experience survey 2024",
	vars: map[string]variable{
		"resp_id":         {label: "Respondent number"},
		"interview_date":  {label: "Date of interview", date: true},
		"region":          {label: "Region of residence", labels: map[int]string{1: "North", 2: "South", 3: "East", 4: "West", 5: "Capital"}},
		"gender":          {label: "Gender", labels: map[int]string{1: "Male", 2: "Female", 3: "Other"}},
		"age":             {label: "Age in years"},
		"age_group":       {label: "Age group", labels: map[int]string{1: "18-24", 2: "25-34", 3: "35-49", 4: "50-64", 5: "65+"}},
		"q1_satisfaction": {label: "Overall satisfaction with the service", labels: map[int]string{1: "Very dissatisfied", 2: "Dissatisfied", 3: "Neutral", 4: "Satisfied", 5: "Very satisfied"}},
		"q2_recommend":    {label: "How likely to recommend us to a friend (0-10)", labels: map[int]string{0: "Not at all likely", 10: "Extremely likely"}},
		"q3_channel":      {label: "Channel used for the last contact", labels: map[int]string{1: "Phone", 2: "Email", 3: "Live chat", 4: "In store"}},
		"q4_resolved":     {label: "Was the issue resolved?", labels: map[int]string{1: "Yes", 2: "No"}},
		"q5_wait_minutes": {label: "Minutes waited before being served"},
		"income_band":     {label: "Monthly household income", labels: map[int]string{1: "Under 1,000", 2: "1,000-1,999", 3: "2,000-2,999", 4: "3,000-4,999", 5: "5,000 or more", 9: "Prefer not to say"}},
		"household_size":  {label: "People in household"},
		"weight":          {label: "Survey weight"},
	},
}

func customerSurvey(r *rng) ([]string, [][]string) {
	head := []string{"resp_id", "interview_date", "region", "gender", "age", "age_group", "q1_satisfaction", "q2_recommend", "q3_channel", "q4_resolved", "q5_wait_minutes", "income_band", "household_size", "weight"}
	var rows [][]string
	for i := range 320 {
		age := r.between(18, 84)
		grp := 5
		for k, lim := range []int{24, 34, 49, 64} {
			if age <= lim {
				grp = k + 1
				break
			}
		}
		ch := weighted(r, []int{1, 2, 3, 4}, []float64{4, 2, 3, 2})
		wait := math.Max(0, math.Round(r.normal(map[int]float64{1: 9, 2: 0, 3: 4, 4: 6}[ch], 4)))
		resolved := 1
		if r.chance(0.25 + wait/60) {
			resolved = 2
		}
		sat := clamp(math.Round(r.normal(3.8-float64(resolved-1)*1.4-wait/25, 0.9)), 1, 5)
		rec := clamp(math.Round(sat*2+r.normal(0, 1.3)), 0, 10)
		inc := weighted(r, []int{1, 2, 3, 4, 5, 9}, []float64{2, 4, 4, 3, 2, 1.5})
		waitS := f(wait, 0)
		if ch == 2 {
			waitS = ""
		}
		rows = append(rows, []string{itoa(1001 + i), ymd(day("2024-05-06").AddDate(0, 0, r.intn(56))), itoa(weighted(r, []int{1, 2, 3, 4, 5}, []float64{3, 3, 2, 2, 4})),
			itoa(weighted(r, []int{1, 2, 3}, []float64{48, 50, 2})), itoa(age), itoa(grp), f(sat, 0), f(rec, 0), itoa(ch), itoa(resolved), waitS, itoa(inc),
			itoa(weighted(r, []int{1, 2, 3, 4, 5, 6}, []float64{3, 4, 2, 2, 1, 0.5})), f(r.uniform(0.6, 1.6), 3)})
	}
	return head, rows
}
