package main

import (
	"fmt"
	"math"
	"strings"
	"time"
)

func productReviews(r *rng) ([]string, [][]string) {
	type product struct {
		name, brand, cat string
		price, quality   float64
	}
	products := []product{
		{"AeroBlend 500 Blender", "Kitchenly", "kitchen", 79.99, 4.2}, {"CrispAir Fryer XL", "Kitchenly", "kitchen", 119, 4.5},
		{"BrewMaster Kettle", "HomeCo", "kitchen", 39.5, 3.6}, {"SoundWave Earbuds", "Pulse", "audio", 59.99, 3.9},
		{"BassBox Speaker", "Pulse", "audio", 89, 4.3}, {"StudioOne Headphones", "Tonal", "audio", 149, 4.6},
		{"TrailLite Backpack", "Summit", "outdoor", 69, 4.1}, {"CampGlow Lantern", "Summit", "outdoor", 24.99, 3.2},
		{"FlexFit Yoga Mat", "HomeCo", "fitness", 29.99, 4.0}, {"IronGrip Dumbbells", "Tonal", "fitness", 54, 3.7},
	}
	titles := map[int][]string{
		1: {"Broke after a week", "Waste of money", "Very disappointed"},
		2: {"Not great", "Expected more", "Flimsy build"},
		3: {"It's okay", "Does the job", "Average at best"},
		4: {"Pretty good", "Solid purchase", "Happy with it"},
		5: {"Love it!", "Excellent quality", "Best purchase this year"},
	}
	countries := []string{"US", "UK", "Canada", "Germany", "India", "Australia"}
	head := []string{"review_id", "product_name", "brand", "category", "price_usd", "rating", "review_title", "review_date", "verified_purchase", "helpful_votes", "reviewer_country"}
	var rows [][]string
	for i := range 250 {
		p := weighted(r, products, []float64{4, 5, 3, 4, 3, 3, 2, 2, 3, 2})
		st := int(clamp(math.Round(r.normal(p.quality, 1.0)), 1, 5))
		ver := "Yes"
		if r.chance(0.2) {
			ver = "No"
		}
		help := int(math.Max(0, math.Round(math.Exp(r.normal(0.8, 1.1))-1)))
		rows = append(rows, []string{fmt.Sprintf("R%05d", 30001+i), p.name, p.brand, p.cat, f(p.price, 2), itoa(st), pick(r, titles[st]),
			ymd(day("2023-06-01").AddDate(0, 0, r.intn(400))), ver, itoa(help), weighted(r, countries, []float64{6, 3, 2, 2, 2, 1})})
	}
	return head, rows
}

func energyUse(r *rng) ([]string, [][]string) {
	type country struct {
		name, iso                               string
		pop, perCap, ren, renGrowth, coal, nucl float64
	}
	cs := []country{
		{"Norway", "NOR", 5.0, 24, 68, 0.6, 0.01, 0}, {"Germany", "DEU", 82, 7.2, 12, 2.2, 0.4, 0.12},
		{"France", "FRA", 64, 6.8, 10, 1.0, 0.05, 0.7}, {"Poland", "POL", 38, 4.3, 6, 1.1, 0.8, 0},
		{"Spain", "ESP", 46, 5.6, 14, 2.0, 0.15, 0.2}, {"Brazil", "BRA", 195, 2.6, 42, 0.8, 0.05, 0.03},
		{"India", "IND", 1230, 0.8, 9, 0.9, 0.7, 0.03}, {"Japan", "JPN", 127, 8.0, 7, 1.2, 0.3, 0.25},
		{"Kenya", "KEN", 42, 0.17, 60, 1.2, 0, 0}, {"Australia", "AUS", 22, 10.5, 6, 1.5, 0.65, 0},
		{"Canada", "CAN", 34, 15.5, 60, 0.4, 0.1, 0.15}, {"Chile", "CHL", 17, 4.1, 28, 1.8, 0.35, 0},
	}
	head := []string{"country", "iso3", "year", "pop_millions", "energy_twh", "renewables_share_pct", "coal_twh", "gas_twh", "nuclear_twh", "co2_mt"}
	var rows [][]string
	for _, c := range cs {
		for y := 2008; y <= 2022; y++ {
			k := float64(y - 2008)
			pop := c.pop * math.Pow(1+0.006+0.01*boolf(c.iso == "IND" || c.iso == "KEN"), k)
			en := pop * c.perCap * (1 + 0.004*k) * r.uniform(0.97, 1.03)
			if y == 2020 {
				en *= 0.95
			}
			ren := clamp(c.ren+c.renGrowth*k+r.normal(0, 0.6), 1, 98)
			coalShare := math.Max(0, c.coal-0.01*k*boolf(c.coal > 0.1))
			coal := en * coalShare * (1 - ren/100)
			nuc := ""
			nucl := 0.0
			if c.nucl > 0 && !(c.iso == "DEU" && y >= 2023) {
				share := c.nucl
				if c.iso == "DEU" {
					share *= 1 - k/16
				}
				if c.iso == "JPN" && y >= 2012 {
					share = 0.03 + 0.005*float64(y-2012)
				}
				nucl = en * share
				nuc = f(nucl, 1)
			}
			gas := math.Max(0, en-coal-nucl-en*ren/100)
			co2 := coal*0.95 + gas*0.45
			rows = append(rows, []string{c.name, c.iso, itoa(y), f(pop, 2), f(en, 1), f(ren, 1), f(coal, 1), f(gas, 1), nuc, f(co2, 1)})
		}
	}
	return head, rows
}

func boolf(b bool) float64 {
	if b {
		return 1
	}
	return 0
}

func cityPopulations(r *rng) ([]string, [][]string) {
	type city struct {
		name, country, cont string
		capital             bool
		pop                 float64 // millions, 2020
		growth              float64
		elevation           int    // metres, approximate
		founded             string // year, "" when unknown or ancient
	}
	cs := []city{
		{"Lagos", "Nigeria", "Africa", false, 14.8, 0.035, 41, ""}, {"Cairo", "Egypt", "Africa", true, 9.5, 0.02, 23, "969"}, {"Nairobi", "Kenya", "Africa", true, 4.4, 0.04, 1795, "1899"},
		{"Accra", "Ghana", "Africa", true, 2.5, 0.03, 61, ""}, {"Casablanca", "Morocco", "Africa", false, 3.7, 0.012, 50, ""}, {"Addis Ababa", "Ethiopia", "Africa", true, 3.9, 0.038, 2355, "1886"},
		{"Kinshasa", "DR Congo", "Africa", true, 14.3, 0.045, 240, "1881"}, {"Dakar", "Senegal", "Africa", true, 1.2, 0.03, 22, "1857"}, {"Johannesburg", "South Africa", "Africa", false, 5.6, 0.02, 1753, "1886"},
		{"Tokyo", "Japan", "Asia", true, 14, 0.003, 40, "1457"}, {"Osaka", "Japan", "Asia", false, 2.7, -0.001, 12, ""}, {"Delhi", "India", "Asia", true, 16.8, 0.03, 216, ""},
		{"Mumbai", "India", "Asia", false, 12.5, 0.015, 14, ""}, {"Jakarta", "Indonesia", "Asia", true, 10.6, 0.01, 8, "1527"}, {"Manila", "Philippines", "Asia", true, 1.8, 0.005, 7, "1571"},
		{"Seoul", "South Korea", "Asia", true, 9.6, -0.003, 38, ""}, {"Busan", "South Korea", "Asia", false, 3.4, -0.005, 10, ""}, {"Bangkok", "Thailand", "Asia", true, 10.5, 0.015, 2, "1782"},
		{"Hanoi", "Vietnam", "Asia", true, 8.1, 0.03, 16, "1010"}, {"Dhaka", "Bangladesh", "Asia", true, 10.3, 0.035, 4, ""}, {"Karachi", "Pakistan", "Asia", false, 16.1, 0.025, 10, ""},
		{"London", "United Kingdom", "Europe", true, 9, 0.012, 11, ""}, {"Manchester", "United Kingdom", "Europe", false, 0.55, 0.014, 38, ""}, {"Paris", "France", "Europe", true, 2.15, -0.004, 35, ""},
		{"Lyon", "France", "Europe", false, 0.52, 0.008, 173, ""}, {"Berlin", "Germany", "Europe", true, 3.66, 0.005, 34, "1237"}, {"Hamburg", "Germany", "Europe", false, 1.85, 0.004, 6, ""},
		{"Madrid", "Spain", "Europe", true, 3.3, 0.004, 667, ""}, {"Barcelona", "Spain", "Europe", false, 1.62, 0.002, 12, ""}, {"Rome", "Italy", "Europe", true, 2.8, -0.001, 21, ""},
		{"Milan", "Italy", "Europe", false, 1.4, 0.005, 120, ""}, {"Warsaw", "Poland", "Europe", true, 1.79, 0.004, 100, ""}, {"Vienna", "Austria", "Europe", true, 1.92, 0.01, 190, ""},
		{"Stockholm", "Sweden", "Europe", true, 0.98, 0.013, 28, "1252"}, {"Lisbon", "Portugal", "Europe", true, 0.55, -0.003, 2, ""}, {"Athens", "Greece", "Europe", true, 0.64, -0.008, 70, ""},
		{"New York", "United States", "North America", false, 8.8, 0.004, 10, "1624"}, {"Los Angeles", "United States", "North America", false, 3.9, 0.003, 93, "1781"}, {"Chicago", "United States", "North America", false, 2.7, -0.001, 181, "1833"},
		{"Houston", "United States", "North America", false, 2.3, 0.012, 15, "1836"}, {"Washington", "United States", "North America", true, 0.69, 0.011, 22, "1790"}, {"Toronto", "Canada", "North America", false, 2.79, 0.011, 76, "1793"},
		{"Ottawa", "Canada", "North America", true, 1.02, 0.013, 70, "1826"}, {"Mexico City", "Mexico", "North America", true, 9.2, 0.002, 2240, "1325"}, {"Guadalajara", "Mexico", "North America", false, 1.39, 0.001, 1566, "1542"},
		{"Havana", "Cuba", "North America", true, 2.1, -0.001, 59, "1519"}, {"São Paulo", "Brazil", "South America", false, 12.3, 0.008, 760, "1554"}, {"Rio de Janeiro", "Brazil", "South America", false, 6.7, 0.005, 5, "1565"},
		{"Brasília", "Brazil", "South America", true, 3.05, 0.02, 1172, "1960"}, {"Buenos Aires", "Argentina", "South America", true, 3.08, 0.001, 25, "1536"}, {"Lima", "Peru", "South America", true, 9.7, 0.015, 154, "1535"},
		{"Bogotá", "Colombia", "South America", true, 7.7, 0.012, 2640, "1538"}, {"Santiago", "Chile", "South America", true, 6.2, 0.01, 570, "1541"}, {"Quito", "Ecuador", "South America", true, 2.0, 0.017, 2850, "1534"},
		{"Sydney", "Australia", "Oceania", false, 5.3, 0.016, 3, "1788"}, {"Melbourne", "Australia", "Oceania", false, 5.1, 0.02, 31, "1835"}, {"Canberra", "Australia", "Oceania", true, 0.43, 0.015, 578, "1913"},
		{"Auckland", "New Zealand", "Oceania", false, 1.7, 0.017, 30, "1840"}, {"Wellington", "New Zealand", "Oceania", true, 0.21, 0.01, 19, "1840"}, {"Perth", "Australia", "Oceania", false, 2.1, 0.018, 31, "1829"},
	}
	head := []string{"City", "Country", "Continent", "Capital", "Pop 2000", "Pop 2010", "Pop 2020", "Area (km2)", "Elevation (m)", "Founded"}
	var rows [][]string
	for _, c := range cs {
		p20 := c.pop * 1e6 * r.uniform(0.98, 1.02)
		g := c.growth + r.normal(0, 0.002)
		p10 := p20 / math.Pow(1+g, 10)
		p00 := p10 / math.Pow(1+g*1.1, 10)
		cap := "No"
		if c.capital {
			cap = "Yes"
		}
		area := p20 / r.uniform(1500, 12000)
		rows = append(rows, []string{c.name, c.country, c.cont, cap, f(math.Round(p00/1000)*1000, 0), f(math.Round(p10/1000)*1000, 0), f(math.Round(p20/1000)*1000, 0),
			f(area, 0), itoa(c.elevation), c.founded})
	}
	return head, rows
}

func libraryLoans(r *rng) ([]string, [][]string) {
	type book struct{ title, author, genre string }
	books := []book{
		{"The Clockmaker's Daughter", "Imogen Hart", "historical fiction"}, {"Salt and Silence", "Imogen Hart", "historical fiction"},
		{"Orbital Decay", "Raj Patel", "science fiction"}, {"The Last Colony", "Raj Patel", "science fiction"},
		{"Murder at Lantern Lane", "Agnes Fairweather", "mystery"}, {"The Vanishing Tutor", "Agnes Fairweather", "mystery"}, {"Cold Harbour", "Agnes Fairweather", "mystery"},
		{"Baking for Beginners", "Tom Oduya", "cookery"}, {"The Whole Year Garden", "Linnea Berg", "gardening"},
		{"A Short History of Maps", "Victor Lang", "history"}, {"Empires of Sand", "Victor Lang", "history"},
		{"Dragon School", "Pip Morrow", "children"}, {"The Brave Little Tugboat", "Pip Morrow", "children"},
		{"Mindful Mornings", "Dana Reyes", "self-help"}, {"Learning Python the Patient Way", "Ola Nordmann", "computing"},
	}
	branches := []string{"Central", "Northside", "Lakeside", "Hillcrest"}
	head := []string{"loan_id", "member_id", "member_type", "branch", "book_title", "author", "genre", "format", "checkout_date", "due_date", "return_date", "renewals", "days_overdue"}
	var rows [][]string
	members := make([]string, 90)
	types := make([]string, 90)
	for i := range members {
		members[i] = fmt.Sprintf("M%04d", 2001+i)
		types[i] = weighted(r, []string{"adult", "child", "senior", "student"}, []float64{5, 2, 2, 3})
	}
	w := []float64{3, 2, 3, 2, 5, 4, 3, 2, 2, 2, 1, 3, 2, 3, 2}
	for i := range 300 {
		m := r.intn(len(members))
		b := weighted(r, books, w)
		if types[m] == "child" && r.chance(0.6) {
			b = books[11+r.intn(2)]
		}
		out := day("2024-01-02").AddDate(0, 0, r.intn(170))
		due := out.AddDate(0, 0, 21)
		ren := weighted(r, []int{0, 1, 2}, []float64{7, 2, 1})
		due = due.AddDate(0, 0, 14*ren)
		ret, late := "", ""
		back := out.AddDate(0, 0, r.between(3, 21+14*ren)+int(math.Max(0, r.normal(-3, 9))))
		if back.Before(day("2024-06-25")) && !r.chance(0.05) {
			ret = ymd(back)
			late = itoa(int(math.Max(0, back.Sub(due).Hours()/24)))
		}
		rows = append(rows, []string{itoa(1 + i), members[m], types[m], weighted(r, branches, []float64{5, 3, 2, 2}), b.title, b.author, b.genre,
			weighted(r, []string{"print", "ebook", "audiobook"}, []float64{7, 2, 1}), ymd(out), ymd(due), ret, itoa(ren), late})
	}
	return head, rows
}

func insuranceClaims(r *rng) ([]string, [][]string) {
	types := []string{"Auto", "Home", "Health", "Travel", "Life"}
	mean := map[string]float64{"Auto": 4200, "Home": 9800, "Health": 2600, "Travel": 900, "Life": 45000}
	adjusters := []string{"J. Okafor", "L. Weber", "S. Tanaka", "R. Garcia", "M. Novak"}
	regions := []string{"Northeast", "Southeast", "Midwest", "Southwest", "West"}
	head := []string{"ClaimID", "PolicyType", "Region", "CustomerAge", "IncidentDate", "ClaimDate", "ClaimAmount", "Status", "ApprovedAmount", "DaysToSettle", "FraudSuspected", "Adjuster"}
	var rows [][]string
	for i := range 250 {
		pt := weighted(r, types, []float64{8, 4, 6, 3, 1})
		amt := math.Round(mean[pt]*math.Exp(r.normal(0, 0.6))*100) / 100
		inc := day("2023-01-01").AddDate(0, 0, r.intn(500))
		cd := inc.AddDate(0, 0, r.between(0, 30))
		fraud := r.chance(0.06)
		if amt > 2.2*mean[pt] && r.chance(0.3) {
			fraud = true
		}
		status := weighted(r, []string{"Approved", "Denied", "Pending"}, []float64{7, 2, 1})
		if cd.After(day("2024-04-15")) && r.chance(0.6) {
			status = "Pending"
		}
		if fraud && r.chance(0.7) {
			status = "Denied"
		}
		appr, days := "", ""
		switch status {
		case "Approved":
			appr = f(math.Round(amt*r.uniform(0.6, 1)*100)/100, 2)
			days = itoa(r.between(5, 75))
		case "Denied":
			appr = "0"
			days = itoa(r.between(3, 40))
		}
		rows = append(rows, []string{fmt.Sprintf("CLM-%05d", 40001+i), pt, pick(r, regions), itoa(int(clamp(r.normal(46, 15), 18, 90))), ymd(inc), ymd(cd), f(amt, 2), status, appr, days, fmt.Sprint(fraud), pick(r, adjusters)})
	}
	return head, rows
}

func bikeRentals(r *rng) ([]string, [][]string) {
	holidays := map[string]bool{"2023-01-01": true, "2023-01-16": true, "2023-02-20": true, "2023-05-29": true, "2023-07-04": true, "2023-09-04": true, "2023-11-23": true, "2023-12-25": true}
	head := []string{"date", "weekday", "season", "holiday", "workingday", "weather", "temp_c", "humidity_pct", "wind_kmh", "casual", "registered", "total"}
	var rows [][]string
	for d := day("2023-01-01"); d.Year() == 2023; d = d.AddDate(0, 0, 1) {
		doy := float64(d.YearDay())
		temp := 13 - 11*math.Cos(2*math.Pi*(doy-15)/365) + r.normal(0, 3)
		wx := weighted(r, []string{"clear", "cloudy", "light rain", "heavy rain"}, []float64{9, 6, 3, 0.6})
		hol := holidays[ymd(d)]
		wd := d.Weekday() != time.Saturday && d.Weekday() != time.Sunday && !hol
		season := []string{"winter", "winter", "spring", "spring", "spring", "summer", "summer", "summer", "autumn", "autumn", "autumn", "winter"}[d.Month()-1]
		comfort := clamp(1-math.Abs(temp-22)/25, 0.15, 1) * map[string]float64{"clear": 1, "cloudy": 0.9, "light rain": 0.6, "heavy rain": 0.25}[wx]
		casual := int(comfort * r.uniform(600, 1100))
		reg := int(comfort * r.uniform(2500, 3600))
		if !wd {
			casual = int(float64(casual) * 2.1)
			reg = int(float64(reg) * 0.65)
		}
		rows = append(rows, []string{ymd(d), d.Weekday().String()[:3], season, map[bool]string{true: "yes", false: "no"}[hol], map[bool]string{true: "1", false: "0"}[wd], wx,
			f(temp, 1), itoa(int(clamp(r.normal(62, 14), 20, 99))), f(math.Abs(r.normal(13, 6)), 1), itoa(casual), itoa(reg), itoa(casual + reg)})
	}
	return head, rows
}

func restaurantInspections(r *rng) ([]string, [][]string) {
	cuisines := []string{"Italian", "Chinese", "Mexican", "Indian", "American", "Japanese", "Thai", "Bakery"}
	boroughs := []string{"Downtown", "Uptown", "Harbourside", "Old Quarter"}
	violations := []string{"food temperature", "pest activity", "handwashing", "cross contamination", "storage", "signage", "cleanliness"}
	pre := []string{"Golden", "Little", "Happy", "Blue", "Royal", "Green", "Lucky", "Old", "Sunny", "Red"}
	post := map[string][]string{"Italian": {"Trattoria", "Pizzeria"}, "Chinese": {"Dragon", "Wok House"}, "Mexican": {"Taqueria", "Cantina"}, "Indian": {"Curry House", "Tandoor"},
		"American": {"Diner", "Grill"}, "Japanese": {"Sushi Bar", "Ramen"}, "Thai": {"Thai Kitchen", "Orchid"}, "Bakery": {"Bakery", "Patisserie"}}
	type rest struct{ name, cuisine, borough string }
	var rs []rest
	seen := map[string]bool{}
	for len(rs) < 80 {
		c := weighted(r, cuisines, []float64{4, 4, 3, 3, 5, 3, 2, 2})
		n := pick(r, pre) + " " + pick(r, post[c])
		if seen[n] {
			continue
		}
		seen[n] = true
		rs = append(rs, rest{n, c, pick(r, boroughs)})
	}
	head := []string{"inspection_id", "restaurant_name", "cuisine", "borough", "inspection_date", "inspection_type", "score", "grade", "critical_flag", "violations", "result"}
	var rows [][]string
	for i := range 220 {
		x := rs[r.intn(len(rs))]
		if i < 80 {
			x = rs[i]
		}
		nv := weighted(r, []int{0, 1, 2, 3, 4}, []float64{3, 4, 3, 2, 1})
		vs := sample(r, violations, nv)
		crit := false
		score := r.between(0, 6)
		for _, v := range vs {
			switch v {
			case "food temperature", "pest activity", "cross contamination":
				crit = true
				score += r.between(7, 12)
			default:
				score += r.between(2, 6)
			}
		}
		grade := "C"
		if score <= 13 {
			grade = "A"
		} else if score <= 27 {
			grade = "B"
		}
		typ := weighted(r, []string{"routine", "follow-up", "complaint"}, []float64{6, 2, 1})
		if typ == "complaint" && r.chance(0.5) {
			grade = ""
		}
		result := "Pass"
		if score > 27 {
			result = "Fail"
		} else if crit {
			result = "Conditional"
		}
		rows = append(rows, []string{itoa(90001 + i), x.name, x.cuisine, x.borough, ymd(day("2023-01-03").AddDate(0, 0, r.intn(540))), typ, itoa(score), grade,
			map[bool]string{true: "Y", false: "N"}[crit], strings.Join(vs, "; "), result})
	}
	return head, rows
}
