package main

import (
	"fmt"
	"math"
	"sort"
	"strings"
	"time"
)

// pyList writes xs as a Python list literal: ['a', 'b'].
func pyList(xs []string) string {
	q := make([]string, len(xs))
	for i, x := range xs {
		q[i] = "'" + x + "'"
	}
	return "[" + strings.Join(q, ", ") + "]"
}

func mobilePlans(r *rng) ([]string, [][]string) {
	operators := []string{"Voxa", "Telmo", "Brightcell", "Nordlink", "Kiwi Mobile"}
	tiers := []struct {
		name  string
		gb    int
		price float64
	}{{"Mini", 5, 9}, {"Start", 15, 14}, {"Plus", 40, 20}, {"Max", 100, 27}, {"Unlimited", 0, 35}}
	head := []string{"Operator", "Plan Name", "Monthly Price (€)", "Data (GB)", "Unlimited Data", "Minutes", "5G", "Contract (months)", "EU Roaming", "Launch Date"}
	var rows [][]string
	for _, op := range operators {
		opMult := r.uniform(0.85, 1.2)
		for _, tr := range tiers {
			for _, term := range []int{0, 12, 24} {
				if r.chance(0.25) {
					continue
				}
				price := tr.price * opMult
				if term == 24 {
					price *= 0.85
				} else if term == 0 {
					price *= 1.1
				}
				data, unl := itoa(tr.gb), "No"
				if tr.gb == 0 {
					data, unl = "", "Yes"
				}
				minutes := "unlimited"
				if tr.name == "Mini" {
					minutes = itoa(pick(r, []int{100, 200, 300}))
				}
				g5 := yesNo(tr.name != "Mini" || r.chance(0.3), "Yes", "No")
				roam := yesNo(tr.name == "Max" || tr.name == "Unlimited" || r.chance(0.4), "Y", "N")
				name := op + " " + tr.name
				if term == 0 {
					name += " SIM Only"
				} else {
					name += fmt.Sprintf(" %dM", term)
				}
				launch := day("2021-03-01").AddDate(0, 0, r.intn(1200))
				rows = append(rows, []string{op, name, f(math.Round(price)-0.01, 2), data, unl, minutes, g5, itoa(term), roam, launch.Format("2 Jan 2006")})
			}
		}
	}
	return head, rows
}

func taxBrackets(r *rng) ([]string, [][]string) {
	type sched struct {
		country, currency string
		limits            []float64
		rates             []float64
	}
	scheds := []sched{
		{"Aldoria", "ALD", []float64{0, 12000, 35000, 80000, 150000}, []float64{0, 12, 22, 33, 41}},
		{"Bexland", "BXD", []float64{0, 9500, 40000, 90000}, []float64{10, 20, 30, 40}},
		{"Corvania", "CRV", []float64{0, 20000, 60000}, []float64{15, 25, 38}},
		{"Dunmark", "DMK", []float64{0, 7000, 25000, 52000, 100000, 250000}, []float64{0, 8, 17, 26, 35, 45}},
		{"Estoria", "EST", []float64{0, 30000}, []float64{18, 30}},
	}
	head := []string{"country", "tax_year", "filing_status", "bracket", "income_from", "income_to", "marginal_rate_pct", "currency", "standard_deduction"}
	var rows [][]string
	for _, s := range scheds {
		ded := math.Round(r.uniform(3000, 12000)/100) * 100
		for _, y := range []int{2023, 2024} {
			infl := 1.0
			if y == 2024 {
				infl = 1 + math.Round(r.uniform(2, 6))/100
			}
			for _, st := range []string{"single", "married_joint"} {
				mult := 1.0
				if st == "married_joint" {
					mult = 2
				}
				for i, lo := range s.limits {
					to := ""
					if i+1 < len(s.limits) {
						to = f(math.Round(s.limits[i+1]*infl*mult)-1, 0)
					}
					rate := s.rates[i]
					if y == 2024 && i == len(s.rates)-1 && s.country == "Bexland" {
						rate = 39
					}
					rows = append(rows, []string{s.country, itoa(y), st, itoa(i + 1), f(math.Round(lo*infl*mult), 0), to, f(rate, 1), s.currency, f(math.Round(ded*infl*mult), 0)})
				}
			}
		}
	}
	return head, rows
}

func libraryBranches(r *rng) ([]string, [][]string) {
	boroughs := []string{"Northside", "Riverside", "Old Town", "Eastgate", "Hillcrest"}
	services := []string{"3d printing", "homework help", "job club", "language cafe", "seed library", "study rooms", "tool lending", "story time"}
	head := []string{"branch", "borough", "opened_year", "floor_area_sqft", "weekly_open_hours", "collection_items", "annual_visits_2023", "annual_loans_2023", "public_computers", "makerspace", "open_sunday", "staff_fte", "services"}
	var rows [][]string
	places := placeNames(r, 55)
	for i := range 55 {
		b := weighted(r, boroughs, []float64{3, 3, 2, 2, 1})
		central := i == 0
		area := r.uniform(3000, 18000)
		if central {
			area = 120000
		}
		hours := float64(r.between(28, 60))
		items := int(area * r.uniform(4, 7))
		visits := int(area * r.uniform(5, 11) * hours / 45)
		loans := int(float64(items) * r.uniform(1.1, 2.4))
		maker := yesNo(area > 9000 && r.chance(0.6) || central, "Y", "N")
		sunday := yesNo(hours > 45 && r.chance(0.6) || central, "true", "false")
		svc := sample(r, services, r.between(1, 4))
		if maker == "Y" && !strings.Contains(strings.Join(svc, ","), "3d printing") {
			svc = append([]string{"3d printing"}, svc...)
		}
		name := places[i] + " Library"
		if central {
			name, b = "Central Library", "Old Town"
		}
		staff := area/2500 + r.uniform(1, 3)
		if r.chance(0.06) {
			visits = 0
		}
		vs := itoa(visits)
		if visits == 0 {
			vs = ""
		}
		rows = append(rows, []string{name, b, itoa(r.between(1905, 2019)), f(area, 0), f(hours, 0), itoa(items), vs, itoa(loans), itoa(int(area/700) + r.between(2, 8)), maker, sunday, f(staff, 1), strings.Join(svc, "; ")})
	}
	return head, rows
}

func airQuality(r *rng) ([]string, [][]string) {
	type station struct {
		code, name, city string
		pm, no2          float64
	}
	stations := []station{{"KRK-01", "Krakow Old Town", "Krakow", 32, 38}, {"KRK-02", "Krakow Nowa Huta", "Krakow", 38, 30},
		{"LIS-01", "Lisbon Avenida", "Lisbon", 11, 42}, {"HEL-01", "Helsinki Kallio", "Helsinki", 7, 22}, {"MIL-01", "Milan Senato", "Milan", 27, 45}}
	head := []string{"station_code", "station_name", "city", "date", "pm25_ugm3", "pm10_ugm3", "no2_ugm3", "o3_ugm3", "aqi", "aqi_category", "exceeds_who_pm25"}
	var rows [][]string
	start := day("2024-01-01")
	for _, s := range stations {
		inversion := 1.0
		for d := range 90 {
			date := start.AddDate(0, 0, d)
			if r.chance(0.15) {
				inversion = r.uniform(1.3, 2.2)
			} else {
				inversion = 1 + (inversion-1)*0.6
			}
			winter := 1 + 0.3*math.Cos(2*math.Pi*float64(d)/365)
			pm25 := math.Max(1, s.pm*winter*inversion*math.Exp(r.normal(0, 0.3)))
			if date.Weekday() == time.Saturday || date.Weekday() == time.Sunday {
				pm25 *= 0.9
			}
			pm10 := pm25 * r.uniform(1.3, 1.9)
			no2 := math.Max(2, s.no2*math.Exp(r.normal(0, 0.25)))
			o3 := ""
			if !(s.code == "MIL-01" && d >= 40 && d < 52) && !r.chance(0.03) {
				o3 = f(math.Max(5, r.normal(55, 15)+float64(d)/4), 1)
			}
			aqi := int(math.Round(math.Max(pm25*2.1, no2*0.9)))
			cat := "Good"
			switch {
			case aqi > 150:
				cat = "Unhealthy"
			case aqi > 100:
				cat = "Unhealthy for Sensitive Groups"
			case aqi > 50:
				cat = "Moderate"
			}
			rows = append(rows, []string{s.code, s.name, s.city, ymd(date), f(pm25, 1), f(pm10, 1), f(no2, 1), o3, itoa(aqi), cat, fmt.Sprint(pm25 > 15)})
		}
	}
	return head, rows
}

func fishingCatches(r *rng) ([]string, [][]string) {
	type species struct {
		name  string
		price float64
		gear  []string
	}
	spp := []species{{"Atlantic cod", 38, []string{"trawl", "longline", "gillnet"}}, {"Haddock", 29, []string{"trawl", "longline"}}, {"Saithe", 17, []string{"trawl", "purse seine"}},
		{"Mackerel", 14, []string{"purse seine"}}, {"Herring", 9, []string{"purse seine", "trawl"}}, {"Greenland halibut", 62, []string{"longline", "gillnet"}}, {"King crab", 190, []string{"pots"}}}
	ports := []string{"Tromso", "Bodo", "Alesund", "Hammerfest", "Batsfjord"}
	vessels := []string{"Havbris", "Nordkapp", "Stormfugl", "Polarlys", "Sjovik", "Kystvakt", "Bolgen", "Ishavet", "Fjordgutt", "Lofotfisk", "Vestbris", "Arktis"}
	head := []string{"landing_id", "vessel_name", "port", "landing_date", "species", "gear", "catch_kg", "days_at_sea", "crew", "price_nok_per_kg", "bycatch_kg", "quota_zone"}
	var rows [][]string
	for range 300 {
		s := weighted(r, spp, []float64{6, 4, 3, 3, 3, 2, 1})
		g := pick(r, s.gear)
		days := r.between(1, 9)
		if g == "purse seine" || g == "trawl" {
			days += r.between(1, 5)
		}
		kg := float64(days) * r.uniform(800, 3000)
		if g == "purse seine" {
			kg *= 6
		} else if g == "pots" {
			kg *= 0.15
		}
		by := ""
		if g != "pots" && !r.chance(0.1) {
			by = f(kg*r.uniform(0, 0.08), 0)
		}
		crew := r.between(3, 8)
		if g == "purse seine" || g == "trawl" {
			crew += 4
		}
		rows = append(rows, []string{"", pick(r, vessels), weighted(r, ports, []float64{5, 3, 4, 2, 2}), ymd(day("2023-09-01").AddDate(0, 0, r.intn(240))), s.name, g,
			f(kg, 0), itoa(days), itoa(crew), f(s.price*r.uniform(0.85, 1.2), 2), by, pick(r, []string{"NEA-1", "NEA-2", "NS-4", "BAR-3"})})
	}
	sort.SliceStable(rows, func(a, b int) bool { return rows[a][3] < rows[b][3] })
	for i := range rows {
		rows[i][0] = fmt.Sprintf("L%04d", 1+i)
	}
	return head, rows
}

var householdCodes = &codebook{
	label: "Household living conditions survey, wave 3",
	vars: map[string]variable{
		"hhid":         {label: "Household identifier"},
		"province":     {label: "Province", labels: map[int]string{1: "Coastal", 2: "Highlands", 3: "Delta", 4: "Plateau"}},
		"urban":        {label: "Area type", labels: map[int]string{0: "Rural", 1: "Urban"}},
		"hh_size":      {label: "Number of household members"},
		"head_sex":     {label: "Sex of household head", labels: map[int]string{1: "Male", 2: "Female"}},
		"head_age":     {label: "Age of household head"},
		"head_educ":    {label: "Education of household head", labels: map[int]string{0: "None", 1: "Primary", 2: "Secondary", 3: "Tertiary"}},
		"income_month": {label: "Monthly household income (local currency)"},
		"owns_land":    {label: "Household owns farmland", labels: map[int]string{0: "No", 1: "Yes"}},
		"water_source": {label: "Main source of drinking water", labels: map[int]string{1: "Piped into dwelling", 2: "Public tap", 3: "Borehole", 4: "Protected well", 5: "Surface water"}},
		"electricity":  {label: "Household has electricity", labels: map[int]string{0: "No", 1: "Yes"}},
		"children_u5":  {label: "Children under five", labels: map[int]string{0: "None"}},
		"interview":    {label: "Date of interview", date: true},
		"wgt":          {label: "Sampling weight"},
	},
}

func householdSurvey(r *rng) ([]string, [][]string) {
	head := []string{"hhid", "province", "urban", "hh_size", "head_sex", "head_age", "head_educ", "income_month", "owns_land", "water_source", "electricity", "children_u5", "interview", "wgt"}
	var rows [][]string
	for i := range 260 {
		prov := weighted(r, []int{1, 2, 3, 4}, []float64{4, 2, 3, 2})
		urban := 0
		if r.chance(map[int]float64{1: 0.6, 2: 0.2, 3: 0.4, 4: 0.3}[prov]) {
			urban = 1
		}
		size := r.between(1, 9)
		sex := weighted(r, []int{1, 2}, []float64{7, 3})
		age := r.between(19, 84)
		educ := weighted(r, []int{0, 1, 2, 3}, []float64{2, 4, 3, 1 + boolf(urban == 1)*2})
		inc := math.Round(r.uniform(900, 2200)*(1+0.45*float64(educ))*(1+0.5*boolf(urban == 1))/10) * 10
		incS := f(inc, 0)
		if r.chance(0.06) {
			incS = ""
		}
		land := 0
		if urban == 0 && r.chance(0.7) || r.chance(0.1) {
			land = 1
		}
		water := weighted(r, []int{1, 2, 3, 4, 5}, []float64{1 + 5*boolf(urban == 1), 3, 3, 2, 1 - 0.8*boolf(urban == 1)})
		elec := 1
		if urban == 0 && r.chance(0.35) {
			elec = 0
		}
		kids := weighted(r, []int{0, 1, 2, 3}, []float64{5, 3, 2, 0.5})
		if kids > size-1 {
			kids = max(0, size-1)
		}
		rows = append(rows, []string{itoa(1001 + i), itoa(prov), itoa(urban), itoa(size), itoa(sex), itoa(age), itoa(educ), incS, itoa(land), itoa(water), itoa(elec), itoa(kids),
			ymd(day("2023-10-02").AddDate(0, 0, r.intn(75))), f(r.uniform(80, 420), 1)})
	}
	return head, rows
}

func menuItems(r *rng) ([]string, [][]string) {
	type dish struct {
		name, section string
		price, kcal   float64
		veg           bool
		allergens     []string
		spice         int
	}
	dishes := []dish{
		{"Garlic Bread", "Starters", 5.5, 380, true, []string{"gluten", "dairy"}, 0}, {"Tomato Soup", "Starters", 6, 220, true, []string{"celery"}, 0},
		{"Chicken Wings", "Starters", 8.5, 640, false, nil, 2}, {"Calamari", "Starters", 9, 450, false, []string{"gluten", "molluscs"}, 0},
		{"Hummus Plate", "Starters", 7, 410, true, []string{"sesame"}, 0}, {"Margherita Pizza", "Mains", 12, 850, true, []string{"gluten", "dairy"}, 0},
		{"Pepperoni Pizza", "Mains", 14, 1020, false, []string{"gluten", "dairy"}, 1}, {"Beef Burger", "Mains", 15, 980, false, []string{"gluten", "dairy", "mustard"}, 0},
		{"Veggie Burger", "Mains", 13.5, 760, true, []string{"gluten", "soy"}, 0}, {"Chicken Curry", "Mains", 14.5, 890, false, []string{"dairy"}, 2},
		{"Thai Green Curry", "Mains", 14, 820, true, []string{"peanuts", "soy"}, 3}, {"Fish and Chips", "Mains", 16, 1100, false, []string{"gluten", "fish"}, 0},
		{"Caesar Salad", "Mains", 11, 520, false, []string{"dairy", "egg", "fish"}, 0}, {"Mushroom Risotto", "Mains", 13, 700, true, []string{"dairy", "celery"}, 0},
		{"Fries", "Sides", 4, 420, true, nil, 0}, {"Onion Rings", "Sides", 4.5, 480, true, []string{"gluten"}, 0}, {"Side Salad", "Sides", 3.5, 120, true, nil, 0},
		{"Chocolate Brownie", "Desserts", 6.5, 560, true, []string{"gluten", "dairy", "egg"}, 0}, {"Cheesecake", "Desserts", 7, 610, true, []string{"gluten", "dairy", "egg"}, 0},
		{"Mango Sorbet", "Desserts", 5, 180, true, nil, 0}, {"Lemonade", "Drinks", 3.5, 150, true, nil, 0}, {"Iced Tea", "Drinks", 3, 90, true, nil, 0},
	}
	restaurants := []string{"Harbour Kitchen", "The Copper Pot", "Nonna's Table", "Spice Route"}
	head := []string{"restaurant", "item_name", "menu_section", "price_gbp", "calories_kcal", "vegetarian", "spice_level", "allergens", "available", "added_on"}
	var rows [][]string
	for ri, rest := range restaurants {
		for _, d := range dishes {
			if r.chance(0.2) || rest == "Spice Route" && strings.Contains(d.name, "Pizza") || rest == "Nonna's Table" && strings.Contains(d.name, "Curry") {
				continue
			}
			p := math.Round(d.price*(1+0.08*float64(ri%3))*r.uniform(0.95, 1.08)*2) / 2
			spice := d.spice
			if rest == "Spice Route" && spice > 0 {
				spice = min(3, spice+1)
			}
			avail := r.chance(0.9)
			rows = append(rows, []string{rest, d.name, d.section, f(p, 2), f(d.kcal*r.uniform(0.9, 1.1), 0), yesNo(d.veg, "Y", "N"), itoa(spice), strings.Join(d.allergens, "; "),
				strings.ToUpper(fmt.Sprint(avail)), ymd(day("2022-01-10").AddDate(0, 0, r.intn(900)))})
		}
	}
	return head, rows
}

func bugTracker(r *rng) ([]string, [][]string) {
	components := []string{"api", "web-ui", "mobile", "billing", "search", "auth"}
	labels := []string{"regression", "ui", "performance", "security", "flaky-test", "customer-reported", "docs"}
	people := []string{"akim", "bnovak", "cdubois", "dsato", "eokafor", "fgarcia", "gweber"}
	head := []string{"issue_key", "title", "component", "severity", "status", "reporter", "assignee", "created_at", "resolved_at", "story_points", "labels", "reopened"}
	titles := map[string][]string{
		"api":     {"500 error on bulk export", "Rate limiter resets too early", "Pagination skips records", "Timeout on large payloads"},
		"web-ui":  {"Button misaligned on settings page", "Dark mode contrast too low", "Table sort is wrong for dates", "Modal cannot be closed"},
		"mobile":  {"App crashes on rotate", "Push notifications arrive twice", "Login screen freezes", "Offline mode loses drafts"},
		"billing": {"Invoice total off by one cent", "Refund not shown in history", "VAT missing on receipts", "Card update fails"},
		"search":  {"Accented names not found", "Slow results for long queries", "Filters reset after search", "Typos return nothing"},
		"auth":    {"Password reset link expires early", "SSO loop with two tabs", "2FA code rejected", "Session lasts too long"},
	}
	var rows [][]string
	t0 := time.Date(2024, 1, 3, 9, 0, 0, 0, time.UTC)
	for range 260 {
		c := weighted(r, components, []float64{5, 5, 4, 2, 2, 2})
		sev := weighted(r, []string{"critical", "major", "minor", "trivial"}, []float64{1, 4, 6, 2})
		at := t0.Add(time.Duration(r.intn(180*24*60)) * time.Minute)
		status := weighted(r, []string{"Open", "In Progress", "Resolved", "Closed", "Won't Fix"}, []float64{3, 2, 4, 5, 1})
		resolved := ""
		if status == "Resolved" || status == "Closed" || status == "Won't Fix" {
			days := math.Exp(r.normal(2, 1))
			if sev == "critical" {
				days /= 4
			}
			resolved = at.Add(time.Duration(days * 24 * float64(time.Hour))).Truncate(time.Minute).Format("2006-01-02 15:04:05")
		}
		assignee := ""
		if status != "Open" || r.chance(0.5) {
			assignee = pick(r, people)
		}
		var ls []string
		if r.chance(0.7) {
			ls = sample(r, labels, r.between(1, 3))
		}
		if c == "web-ui" && !strings.Contains(strings.Join(ls, ","), "ui") && r.chance(0.6) {
			ls = append(ls, "ui")
		}
		pts := pick(r, []int{1, 2, 3, 5, 8, 13})
		ptsS := itoa(pts)
		if r.chance(0.15) {
			ptsS = ""
		}
		rows = append(rows, []string{"", pick(r, titles[c]), c, sev, status, pick(r, people), assignee, at.Format("2006-01-02 15:04:05"), resolved, ptsS, pyList(ls), yesNo(resolved != "" && r.chance(0.12), "y", "n")})
	}
	sort.SliceStable(rows, func(a, b int) bool { return rows[a][7] < rows[b][7] })
	for i := range rows {
		rows[i][0] = fmt.Sprintf("CORE-%d", 1201+i)
	}
	return head, rows
}

func appStore(r *rng) ([]string, [][]string) {
	cats := []string{"Games", "Productivity", "Health & Fitness", "Education", "Photo & Video", "Finance", "Travel"}
	langs := []string{"EN", "ES", "DE", "FR", "JA", "PT", "ZH", "KO"}
	pre := []string{"Pixel", "Zen", "Quick", "Bright", "Nova", "Smart", "Hyper", "Tiny", "Bold", "Lucky", "Calm", "Sunny"}
	suf := []string{"Quest", "Notes", "Fit", "Tutor", "Snap", "Budget", "Trip", "Blocks", "Planner", "Lens", "Coach", "Wallet"}
	devs := []string{"Lumen Labs", "Orchid Apps", "Kestrel Studio", "Blue Fjord", "Mango Digital", "Redwood Games", "Atlas Soft"}
	head := []string{"app_name", "developer", "category", "price_usd", "rating", "rating_count", "size_mb", "in_app_purchases", "content_rating", "released", "last_updated", "languages"}
	var rows [][]string
	seen := map[string]bool{}
	for len(rows) < 180 {
		name := pick(r, pre) + pick(r, suf)
		if r.chance(0.3) {
			name += " " + pick(r, []string{"Pro", "Lite", "2", "Plus"})
		}
		if seen[name] {
			continue
		}
		seen[name] = true
		cat := weighted(r, cats, []float64{6, 3, 3, 2, 2, 2, 1})
		price := 0.0
		if r.chance(0.25) {
			price = pick(r, []float64{0.99, 1.99, 2.99, 4.99, 9.99})
		}
		rc := int(math.Exp(r.normal(8, 2)))
		rating := ""
		if rc >= 5 {
			rating = f(clamp(r.normal(4.2, 0.45), 1.5, 5), 1)
		} else {
			rc = 0
		}
		iap := cat == "Games" && r.chance(0.85) || r.chance(0.35)
		rel := day("2015-06-01").AddDate(0, 0, r.intn(3000))
		upd := rel.AddDate(0, 0, r.intn(int(day("2024-09-30").Sub(rel).Hours()/24)+1))
		ls := append([]string{"EN"}, sample(r, langs[1:], r.between(0, 5))...)
		cr := weighted(r, []string{"4+", "9+", "12+", "17+"}, []float64{6, 2, 2, 1})
		if cat == "Games" {
			cr = weighted(r, []string{"4+", "9+", "12+", "17+"}, []float64{3, 3, 3, 1})
		}
		rows = append(rows, []string{name, pick(r, devs), cat, f(price, 2), rating, itoa(rc), f(math.Exp(r.normal(4.5, 0.8)), 1), fmt.Sprint(iap), cr, ymd(rel), ymd(upd), strings.Join(ls, ";")})
	}
	return head, rows
}

func parkingCitations(r *rng) ([]string, [][]string) {
	type violation struct {
		name string
		fine float64
	}
	violations := []violation{{"Expired meter", 45}, {"No parking zone", 75}, {"Street cleaning", 60}, {"Fire hydrant", 115}, {"Double parking", 95}, {"Disabled space", 350}, {"Bus stop", 150}}
	streets := []string{"Market St", "Mission St", "Valencia St", "Geary Blvd", "Lombard St", "Castro St", "Polk St", "Haight St"}
	makes := []string{"Toyota", "Honda", "Ford", "Tesla", "Subaru", "BMW", "Nissan", "Chevrolet"}
	head := []string{"citation_no", "issued_at", "street", "zone", "violation", "fine_usd", "vehicle_make", "plate_state", "paid", "paid_on", "contested"}
	var rows [][]string
	t0 := time.Date(2024, 3, 1, 7, 0, 0, 0, time.UTC)
	for range 320 {
		v := weighted(r, violations, []float64{8, 4, 5, 2, 2, 1, 1})
		day := r.intn(92)
		at := t0.AddDate(0, 0, day).Add(time.Duration(r.intn(14*60)) * time.Minute)
		paid := r.chance(0.7)
		contested := !paid && r.chance(0.35) || r.chance(0.05)
		paidOn := ""
		if paid {
			paidOn = ymd(at.AddDate(0, 0, r.between(0, 40)))
		}
		rows = append(rows, []string{"", at.Format("2006-01-02 15:04:05"), pick(r, streets), pick(r, []string{"A", "B", "C", "D"}), v.name, f(v.fine, 0), weighted(r, makes, []float64{5, 4, 3, 2, 2, 1, 2, 2}),
			weighted(r, []string{"CA", "NV", "OR", "WA", "AZ", "TX"}, []float64{20, 2, 2, 1, 1, 1}), yesNo(paid, "yes", "no"), paidOn, yesNo(contested, "Y", "N")})
	}
	sort.SliceStable(rows, func(a, b int) bool { return rows[a][1] < rows[b][1] })
	for i := range rows {
		rows[i][0] = fmt.Sprintf("PC%07d", 4400001+i*3)
	}
	return head, rows
}

func podcastEpisodes(r *rng) ([]string, [][]string) {
	type show struct {
		name, host string
		mins, dl   float64
		explicit   float64
		weekly     bool
	}
	shows := []show{{"Data After Dark", "Priya Iqbal", 48, 9000, 0.1, true}, {"The Long Run", "Marco Rossi", 75, 22000, 0.4, true},
		{"Kitchen Table Science", "Hana Ito", 32, 6000, 0, false}, {"Startup Stories", "Liam Brennan", 55, 14000, 0.2, true}, {"History Untangled", "Sofia Costa", 62, 17000, 0, false}}
	guests := []string{"Ada Okafor", "Ben Larsen", "Chen Wei", "Dana Moreau", "Eli Novak", "Fatima Demir", "Gus Ferreira", "Hugo Tanaka", "Iris Becker", "Jon Quispe", "Kira Sato", "Leo Varga"}
	topics := []string{"origins", "mistakes", "the future", "money", "habits", "tools", "failure", "luck"}
	head := []string{"show", "host", "season", "episode_no", "title", "published", "duration_seconds", "downloads_30d", "guests", "explicit"}
	var rows [][]string
	for _, s := range shows {
		pub := day("2023-01-05").AddDate(0, 0, r.intn(10))
		step := 7
		if !s.weekly {
			step = 14
		}
		ep := 0
		for pub.Before(day("2024-07-01")) {
			ep++
			season := 1 + (ep-1)/20
			var gs []string
			if r.chance(0.7) {
				gs = sample(r, guests, weighted(r, []int{1, 2, 3}, []float64{6, 3, 1}))
			}
			title := fmt.Sprintf("Ep %d: On %s", ep, pick(r, topics))
			dl := s.dl * (1 + float64(ep)/60) * math.Exp(r.normal(0, 0.35))
			if len(gs) > 0 {
				dl *= 1.15
			}
			rows = append(rows, []string{s.name, s.host, itoa(season), itoa(ep), title, ymd(pub), itoa(int(s.mins * 60 * r.uniform(0.75, 1.3))), f(dl, 0), strings.Join(gs, "; "), yesNo(r.chance(s.explicit), "True", "False")})
			pub = pub.AddDate(0, 0, step)
			if r.chance(0.08) {
				pub = pub.AddDate(0, 0, step)
			}
		}
	}
	return head, rows
}

func apartmentListings(r *rng) ([]string, [][]string) {
	hoods := []string{"Kreuzberg", "Mitte", "Neukolln", "Prenzlauer Berg", "Charlottenburg", "Friedrichshain", "Spandau"}
	base := map[string]float64{"Kreuzberg": 17, "Mitte": 21, "Neukolln": 14, "Prenzlauer Berg": 19, "Charlottenburg": 18, "Friedrichshain": 16.5, "Spandau": 11}
	amenities := []string{"balcony", "elevator", "dishwasher", "washing machine", "garden", "parking", "cellar", "fitted kitchen"}
	head := []string{"listing_id", "neighbourhood", "rooms", "bedrooms", "area_m2", "floor", "rent_eur_month", "deposit_eur", "furnished", "pets_allowed", "available_from", "amenities", "landlord_type", "energy_class"}
	var rows [][]string
	for i := range 240 {
		h := weighted(r, hoods, []float64{4, 3, 4, 3, 3, 3, 2})
		rooms := weighted(r, []int{1, 2, 3, 4, 5}, []float64{3, 5, 4, 2, 1})
		area := float64(rooms)*r.uniform(18, 30) + r.uniform(8, 20)
		furn := r.chance(0.25)
		rent := area * base[h] * r.uniform(0.85, 1.2)
		if furn {
			rent *= 1.2
		}
		floor := r.between(0, 6)
		var am []string
		for _, a := range amenities {
			p := 0.4
			if a == "elevator" && floor >= 4 {
				p = 0.85
			}
			if r.chance(p) {
				am = append(am, a)
			}
		}
		pets := yesNo(r.chance(0.35), "Y", "N")
		if r.chance(0.08) {
			pets = ""
		}
		ec := ""
		if !r.chance(0.12) {
			ec = weighted(r, []string{"A", "B", "C", "D", "E", "F"}, []float64{1, 3, 4, 3, 2, 1})
		}
		rows = append(rows, []string{fmt.Sprintf("BER-%05d", 70001+i*3+r.intn(3)), h, itoa(rooms), itoa(max(rooms-1, 1)), f(area, 1), itoa(floor), f(math.Round(rent/10)*10, 0),
			f(math.Round(rent/10)*10*3, 0), yesNo(furn, "yes", "no"), pets, ymd(day("2024-07-01").AddDate(0, 0, r.intn(120))), pyList(am), weighted(r, []string{"private", "company", "cooperative"}, []float64{5, 4, 1}), ec})
	}
	return head, rows
}

func bakerySales(r *rng) ([]string, [][]string) {
	type product struct {
		name  string
		price float64
		base  float64
	}
	products := []product{{"Sourdough Loaf", 5.5, 40}, {"Baguette", 2.8, 70}, {"Croissant", 2.4, 90}, {"Cinnamon Bun", 3.2, 55}, {"Rye Bread", 4.9, 25}, {"Blueberry Muffin", 2.9, 45}}
	shops := []string{"Canal Street", "Market Square"}
	head := []string{"date", "shop", "product", "unit_price", "baked", "sold", "wasted", "revenue", "weekday", "holiday"}
	var rows [][]string
	start := day("2024-04-01")
	for d := range 30 {
		date := start.AddDate(0, 0, d)
		wd := date.Weekday()
		holiday := ymd(date) == "2024-05-01" || ymd(date) == "2024-04-01"
		for si, s := range shops {
			if wd == time.Monday && si == 1 {
				continue
			}
			for _, p := range products {
				mult := 1.0
				if wd == time.Saturday {
					mult = 1.5
				} else if wd == time.Sunday {
					mult = 1.3
				}
				if holiday {
					mult *= 1.4
				}
				if si == 1 {
					mult *= 0.7
				}
				baked := int(math.Round(p.base * mult * 1.1 / 5))
				baked *= 5
				sold := min(baked, int(p.base*mult*r.uniform(0.8, 1.15)))
				rows = append(rows, []string{ymd(date), s, p.name, f(p.price, 2), itoa(baked), itoa(sold), itoa(baked - sold), f(float64(sold)*p.price, 2), wd.String(), yesNo(holiday, "yes", "no")})
			}
		}
	}
	return head, rows
}

func solarInstalls(r *rng) ([]string, [][]string) {
	counties := []string{"Alameda", "Fresno", "Kern", "Riverside", "San Diego", "Sonoma"}
	sun := map[string]float64{"Alameda": 1450, "Fresno": 1700, "Kern": 1750, "Riverside": 1720, "San Diego": 1650, "Sonoma": 1420}
	installers := []string{"SunPeak", "Golden State Solar", "BrightRoof", "Helio Homes", "Pacific Panels"}
	roofs := []string{"composition shingle", "tile", "metal", "flat"}
	head := []string{"install_id", "county", "installer", "install_date", "system_kw", "panel_count", "cost_usd", "cost_per_watt", "battery", "annual_output_kwh", "incentive_usd", "roof_type", "third_party_owned"}
	var rows [][]string
	for i := range 260 {
		c := weighted(r, counties, []float64{3, 2, 2, 3, 4, 2})
		kw := math.Round(clamp(r.normal(7, 2.5), 2.4, 16)*10) / 10
		panel := pick(r, []float64{0.37, 0.4, 0.43})
		n := int(math.Ceil(kw / panel))
		ins := weighted(r, installers, []float64{4, 3, 3, 2, 2})
		cpw := r.uniform(2.6, 3.9)
		if ins == "SunPeak" {
			cpw -= 0.3
		}
		bat := r.chance(0.3)
		cost := kw * 1000 * cpw
		if bat {
			cost += r.uniform(9000, 14000)
		}
		date := day("2022-01-03").AddDate(0, 0, r.intn(900))
		inc := ""
		if date.Year() < 2024 || r.chance(0.3) {
			inc = f(math.Round(cost*0.26/10)*10, 0)
		}
		rows = append(rows, []string{fmt.Sprintf("SOL-%04d", 1+i), c, ins, ymd(date), f(kw, 1), itoa(n), f(math.Round(cost), 0), f(cost/(kw*1000), 2), fmt.Sprint(bat),
			f(kw*sun[c]*r.uniform(0.85, 1.05), 0), inc, weighted(r, roofs, []float64{6, 3, 2, 1}), fmt.Sprint(r.chance(0.18))})
	}
	return head, rows
}
