package main

import (
	"fmt"
	"math"
	"sort"
	"strings"
	"time"
)

func videoGames(r *rng) ([]string, [][]string) {
	genres := []string{"Action", "RPG", "Sports", "Racing", "Puzzle", "Shooter", "Platformer", "Strategy"}
	platforms := []string{"PS5", "Xbox Series", "Switch", "PC", "Mobile"}
	publishers := []string{"Nimbus Interactive", "Redshift Games", "Paper Lantern", "Orbit Forge", "Tall Tree Studios", "Quartz Play"}
	w1 := []string{"Shadow", "Crystal", "Iron", "Neon", "Wild", "Silent", "Star", "Lost", "Rapid", "Ember", "Frost", "Golden"}
	w2 := []string{"Legends", "Drift", "Kingdom", "Protocol", "Harbor", "Odyssey", "Rally", "Tactics", "Garden", "Circuit", "Frontier", "Echoes"}
	head := []string{"title", "publisher", "release_year", "genre", "platforms", "global_sales_m", "na_sales_m", "eu_sales_m", "critic_score", "user_score", "multiplayer", "esrb"}
	var rows [][]string
	seen := map[string]bool{}
	for len(rows) < 220 {
		title := pick(r, w1) + " " + pick(r, w2)
		if r.chance(0.25) {
			title += " " + pick(r, []string{"II", "III", "Remastered", "Online"})
		}
		if seen[title] {
			continue
		}
		seen[title] = true
		g := weighted(r, genres, []float64{5, 4, 3, 2, 2, 4, 2, 2})
		ps := sample(r, platforms, weighted(r, []int{1, 2, 3, 4}, []float64{3, 4, 2, 1}))
		sales := math.Exp(r.normal(0, 1.1))
		na := sales * r.uniform(0.3, 0.5)
		eu := sales * r.uniform(0.2, 0.4)
		critic := ""
		if r.chance(0.85) {
			critic = itoa(int(clamp(r.normal(74, 10), 35, 98)))
		}
		user := ""
		if r.chance(0.7) {
			user = f(clamp(r.normal(7.2, 1.2), 2, 9.8), 1)
		}
		multi := g == "Sports" || g == "Shooter" || g == "Racing" || r.chance(0.3)
		esrb := weighted(r, []string{"E", "E10+", "T", "M"}, []float64{3, 2, 3, 2})
		if g == "Shooter" {
			esrb = weighted(r, []string{"T", "M"}, []float64{1, 3})
		}
		rows = append(rows, []string{title, pick(r, publishers), itoa(r.between(2015, 2024)), g, pyList(ps), f(sales, 2), f(na, 2), f(eu, 2), critic, user, yesNo(multi, "Yes", "No"), esrb})
	}
	return head, rows
}

func conferenceTalks(r *rng) ([]string, [][]string) {
	tracks := []string{"Data", "Security", "Cloud", "Frontend", "AI"}
	rooms := []string{"Hall A", "Hall B", "Room 101", "Room 102", "Auditorium"}
	capacity := map[string]int{"Hall A": 400, "Hall B": 300, "Room 101": 120, "Room 102": 120, "Auditorium": 800}
	topics := map[string][]string{
		"Data": {"sql", "streaming", "dbt", "lakehouse", "visualisation"}, "Security": {"zero trust", "supply chain", "passkeys", "incident response"},
		"Cloud": {"kubernetes", "serverless", "cost", "observability"}, "Frontend": {"css", "accessibility", "react", "performance"},
		"AI": {"llms", "evaluation", "rag", "agents", "fine-tuning"},
	}
	head := []string{"talk_id", "title", "speaker", "speaker_company", "track", "room", "day", "start_time", "duration_min", "attendees", "rating", "recorded", "topics"}
	companies := []string{"Acme Cloud", "DataWorks", "Northbeam", "Stackly", "Parsec Labs", "independent"}
	var rows [][]string
	id := 0
	for d, dayName := range []string{"2024-10-08", "2024-10-09"} {
		for slot := range 8 {
			hh := 9 + slot
			if slot >= 3 {
				hh++ // lunch
			}
			for _, room := range rooms {
				if r.chance(0.1) {
					continue
				}
				id++
				tr := pick(r, tracks)
				if room == "Auditorium" && slot == 0 {
					tr = "AI"
				}
				tp := sample(r, topics[tr], r.between(1, 3))
				dur := weighted(r, []int{30, 45, 60}, []float64{4, 4, 2})
				att := int(float64(capacity[room]) * clamp(r.normal(0.7, 0.2), 0.15, 1))
				if tr == "AI" {
					att = min(capacity[room], att*5/4)
				}
				rating := ""
				if r.chance(0.9) {
					rating = f(clamp(r.normal(4.1, 0.45), 2.5, 5), 2)
				}
				title := fmt.Sprintf("%s in practice: %s", strings.ToUpper(tp[0][:1])+tp[0][1:], pick(r, []string{"lessons learned", "a field guide", "what we got wrong", "from zero to production", "myths and facts"}))
				rows = append(rows, []string{fmt.Sprintf("T%d-%02d", d+1, id), title, person(r), pick(r, companies), tr, room, dayName, fmt.Sprintf("%02d:%02d:00", hh, 0), itoa(dur), itoa(att), rating,
					yesNo(room != "Room 102" && r.chance(0.85), "yes", "no"), strings.Join(tp, "; ")})
			}
		}
	}
	return head, rows
}

func vaccinationClinics(r *rng) ([]string, [][]string) {
	clinics := []struct{ name, district string }{{"Eastside Health Centre", "East"}, {"Harbour Clinic", "Harbour"}, {"Northfield Pharmacy", "North"}, {"St Anne's Hall", "Central"},
		{"Riverside Community Hub", "Central"}, {"Westgate Surgery", "West"}}
	vaccines := []string{"Influenza", "COVID-19", "RSV", "Pneumococcal"}
	head := []string{"clinic", "district", "session_date", "vaccine", "doses_given", "doses_wasted", "appointments", "walk_ins", "staff_on_duty", "outreach_session", "avg_wait_min"}
	var rows [][]string
	start := day("2024-09-16")
	for d := range 56 {
		date := start.AddDate(0, 0, d)
		if date.Weekday() == time.Sunday {
			continue
		}
		for ci, c := range clinics {
			if r.chance(0.45) {
				continue
			}
			for _, v := range vaccines {
				if v == "RSV" && ci%2 == 1 || v == "Pneumococcal" && r.chance(0.6) {
					continue
				}
				base := map[string]float64{"Influenza": 60, "COVID-19": 40, "RSV": 12, "Pneumococcal": 8}[v]
				decay := math.Exp(-float64(d) / 60)
				appts := int(base * decay * r.uniform(0.7, 1.3))
				walk := int(float64(appts) * r.uniform(0.05, 0.35))
				given := appts + walk - r.between(0, max(1, appts/10))
				wasted := r.between(0, 3)
				if v == "COVID-19" {
					wasted += r.between(0, 4)
				}
				wait := ""
				if !r.chance(0.07) {
					wait = f(math.Max(2, r.normal(12, 5)+float64(walk)/6), 0)
				}
				rows = append(rows, []string{c.name, c.district, ymd(date), v, itoa(max(given, 0)), itoa(wasted), itoa(appts), itoa(walk), itoa(r.between(2, 6)),
					yesNo(ci == 3 && date.Weekday() == time.Saturday, "Y", "N"), wait})
			}
		}
	}
	return head, rows
}

func subwayRidership(r *rng) ([]string, [][]string) {
	type station struct {
		name, borough, lines string
		base                 float64
		accessible           bool
	}
	stations := []station{{"Central Square", "Downtown", "Red; Blue; Green", 52000, true}, {"Harbor Point", "Downtown", "Blue", 18000, true}, {"Museum Row", "Downtown", "Red; Green", 24000, false},
		{"University", "Westside", "Red", 21000, true}, {"Elm Park", "Westside", "Green", 8000, false}, {"Riverside", "Northside", "Blue; Orange", 15000, true},
		{"Stadium", "Northside", "Orange", 11000, true}, {"Market Street", "Eastside", "Orange; Green", 19500, false}, {"Airport", "Eastside", "Blue", 14000, true},
		{"Old Mill", "Eastside", "Orange", 6000, false}}
	head := []string{"station", "borough", "lines", "month", "avg_weekday_entries", "avg_weekend_entries", "monthly_entries", "monthly_exits", "ada_accessible", "elevator_outage_hours"}
	var rows [][]string
	for _, s := range stations {
		for m := range 18 {
			month := day("2023-01-01").AddDate(0, m, 0)
			season := 1 - 0.12*math.Cos(2*math.Pi*float64(month.Month()-1)/12)
			if month.Month() == time.August {
				season *= 0.85
			}
			wk := s.base * season * (1 + 0.01*float64(m)) * r.uniform(0.95, 1.05)
			we := wk * r.uniform(0.4, 0.6)
			if s.name == "Stadium" {
				we = wk * r.uniform(0.9, 1.4)
			}
			total := wk*22 + we*8
			outage := ""
			if s.accessible {
				outage = f(math.Max(0, r.normal(6, 8)), 0)
			}
			rows = append(rows, []string{s.name, s.borough, s.lines, month.Format("2006-01"), f(wk, 0), f(we, 0), f(total, 0), f(total*r.uniform(0.95, 1.04), 0), yesNo(s.accessible, "True", "False"), outage})
		}
	}
	return head, rows
}

func birdSightings(r *rng) ([]string, [][]string) {
	type bird struct {
		species, family string
		flock           float64
		protected       bool
	}
	birds := []bird{{"Eurasian Blue Tit", "Paridae", 3, false}, {"Great Tit", "Paridae", 2, false}, {"European Robin", "Muscicapidae", 1, false}, {"Common Kingfisher", "Alcedinidae", 1, true},
		{"Grey Heron", "Ardeidae", 1, false}, {"Barn Owl", "Tytonidae", 1, true}, {"Common Starling", "Sturnidae", 40, false}, {"Red Kite", "Accipitridae", 2, true},
		{"Eurasian Curlew", "Scolopacidae", 6, true}, {"Mallard", "Anatidae", 8, false}, {"Common Crane", "Gruidae", 12, true}, {"Goldfinch", "Fringillidae", 6, false}}
	sites := []string{"Marsh Reserve", "Oak Wood", "City Park", "Estuary Hide", "Hill Farm"}
	observers := []string{"A. Lindqvist", "B. Okafor", "C. Ferreira", "D. Novak", "E. Haddad", "F. Sato", "G. Brennan"}
	head := []string{"sighting_id", "observed_at", "site", "observer", "species", "family", "bird_count", "protected", "confirmed", "habitat", "notes"}
	habitat := map[string]string{"Marsh Reserve": "wetland", "Oak Wood": "woodland", "City Park": "urban", "Estuary Hide": "wetland", "Hill Farm": "farmland"}
	notes := []string{"", "", "", "juvenile present", "singing", "flying over", "feeding", "pair", "ringed bird"}
	var rows [][]string
	t0 := time.Date(2024, 3, 1, 5, 30, 0, 0, time.UTC)
	for range 300 {
		b := weighted(r, birds, []float64{8, 7, 7, 1.5, 3, 1, 3, 2, 1.5, 5, 1, 4})
		site := pick(r, sites)
		if b.family == "Scolopacidae" || b.family == "Ardeidae" || b.species == "Common Kingfisher" {
			site = pick(r, []string{"Marsh Reserve", "Estuary Hide"})
		}
		at := t0.AddDate(0, 0, r.intn(92)).Add(time.Duration(r.intn(14*60)) * time.Minute)
		n := max(1, int(math.Round(b.flock*math.Exp(r.normal(0, 0.6)))))
		conf := !b.protected || r.chance(0.7)
		rows = append(rows, []string{"", at.Format("2006-01-02 15:04:05"), site, pick(r, observers), b.species, b.family, itoa(n), yesNo(b.protected, "Y", "N"), fmt.Sprint(conf && r.chance(0.92)), habitat[site], pick(r, notes)})
	}
	sort.SliceStable(rows, func(a, b int) bool { return rows[a][1] < rows[b][1] })
	for i := range rows {
		rows[i][0] = fmt.Sprintf("S-%04d", 1+i)
	}
	return head, rows
}

func universityCourses(r *rng) ([]string, [][]string) {
	depts := []struct{ code, name string }{{"CS", "Computer Science"}, {"MATH", "Mathematics"}, {"HIST", "History"}, {"BIO", "Biology"}, {"ECON", "Economics"}, {"PHIL", "Philosophy"}}
	subjects := map[string][]string{
		"CS":   {"Intro to Programming", "Data Structures", "Algorithms", "Databases", "Operating Systems", "Machine Learning", "Computer Networks", "Compilers"},
		"MATH": {"Calculus I", "Calculus II", "Linear Algebra", "Probability", "Real Analysis", "Number Theory", "Statistics"},
		"HIST": {"World History", "Medieval Europe", "Modern China", "History of Science", "The Cold War"},
		"BIO":  {"Cell Biology", "Genetics", "Ecology", "Microbiology", "Neuroscience", "Evolution"},
		"ECON": {"Microeconomics", "Macroeconomics", "Econometrics", "Game Theory", "Development Economics"},
		"PHIL": {"Ethics", "Logic", "Philosophy of Mind", "Political Philosophy"},
	}
	head := []string{"course_code", "title", "department", "level", "credits", "instructor", "term", "enrolled", "capacity", "waitlist", "avg_grade_gpa", "online", "prerequisites"}
	var rows [][]string
	for _, d := range depts {
		for i, s := range subjects[d.code] {
			level := 100 + 100*min(3, i*4/len(subjects[d.code]))
			code := fmt.Sprintf("%s %d", d.code, level+10+i)
			for _, term := range []string{"Fall 2023", "Spring 2024", "Fall 2024"} {
				if r.chance(0.25) {
					continue
				}
				capy := pick(r, []int{30, 45, 60, 120, 200})
				if level >= 300 {
					capy = pick(r, []int{20, 30, 45})
				}
				demand := float64(capy) * r.uniform(0.6, 1.3)
				if d.code == "CS" {
					demand *= 1.3
				}
				enr := min(capy, int(demand))
				wl := max(0, int(demand)-capy)
				gpa := ""
				if term != "Fall 2024" {
					gpa = f(clamp(r.normal(3.1, 0.3)-boolf(d.code == "MATH")*0.25, 2, 4), 2)
				}
				var pre []string
				if i > 0 && r.chance(0.6) {
					pre = append(pre, fmt.Sprintf("%s %d", d.code, 100+10))
				}
				if d.code == "ECON" && i > 1 {
					pre = append(pre, "MATH 110")
				}
				rows = append(rows, []string{code, s, d.name, itoa(level), itoa(pick(r, []int{3, 3, 4, 4, 2})), pick(r, lastNames) + ", " + pick(r, firstNames)[:1] + ".", term,
					itoa(enr), itoa(capy), itoa(wl), gpa, yesNo(r.chance(0.2), "Yes", "No"), strings.Join(pre, "; ")})
			}
		}
	}
	return head, rows
}

func petAdoptions(r *rng) ([]string, [][]string) {
	species := []string{"Dog", "Cat", "Rabbit", "Guinea Pig"}
	breeds := map[string][]string{"Dog": {"Labrador Mix", "Terrier", "Beagle", "German Shepherd", "Chihuahua", "Pit Bull Mix"}, "Cat": {"Domestic Shorthair", "Domestic Longhair", "Siamese", "Maine Coon"},
		"Rabbit": {"Lop", "Dutch", "Lionhead"}, "Guinea Pig": {"American", "Abyssinian"}}
	names := []string{"Bella", "Max", "Luna", "Charlie", "Milo", "Daisy", "Rocky", "Coco", "Oliver", "Nala", "Biscuit", "Pepper", "Ziggy", "Olive", "Bruno", "Mochi", "Juniper", "Tofu", "Scout", "Hazel"}
	head := []string{"animal_id", "name", "species", "breed", "sex", "age_months", "weight_lb", "intake_date", "intake_type", "outcome", "outcome_date", "vaccinated", "spayed_neutered", "adoption_fee_usd"}
	var rows [][]string
	for i := range 280 {
		sp := weighted(r, species, []float64{5, 5, 1, 0.6})
		age := int(math.Exp(r.normal(2.8, 1)))
		w := map[string]float64{"Dog": 40, "Cat": 9, "Rabbit": 4, "Guinea Pig": 2}[sp] * r.uniform(0.4, 1.6)
		if age < 6 {
			w *= 0.4
		}
		in := day("2024-01-02").AddDate(0, 0, r.intn(200))
		intake := weighted(r, []string{"Stray", "Owner Surrender", "Transfer", "Born in Care"}, []float64{5, 3, 2, 0.5})
		outcome, outDate := "", ""
		stay := int(math.Exp(r.normal(3, 0.8)))
		if sp == "Dog" && age > 84 {
			stay *= 2
		}
		if in.AddDate(0, 0, stay).Before(day("2024-08-01")) {
			outcome = weighted(r, []string{"Adopted", "Returned to Owner", "Transferred", "Euthanized"}, []float64{12, 3, 2, 0.3})
			if intake != "Stray" && outcome == "Returned to Owner" {
				outcome = "Adopted"
			}
			outDate = ymd(in.AddDate(0, 0, stay))
		}
		fee := map[string]float64{"Dog": 150, "Cat": 90, "Rabbit": 40, "Guinea Pig": 25}[sp]
		if age > 96 {
			fee /= 2
		}
		rows = append(rows, []string{fmt.Sprintf("A%06d", 812000+i*7), pick(r, names), sp, pick(r, breeds[sp]), pick(r, []string{"Male", "Female"}), itoa(age), f(w, 1), ymd(in), intake,
			outcome, outDate, yesNo(r.chance(0.85), "yes", "no"), yesNo(age > 5 && r.chance(0.75), "Y", "N"), f(fee, 0)})
	}
	return head, rows
}

func ecommerceReturns(r *rng) ([]string, [][]string) {
	cats := []string{"Apparel", "Footwear", "Electronics", "Home", "Beauty", "Toys"}
	reasons := []string{"Wrong size", "Damaged", "Not as described", "Changed mind", "Late delivery", "Defective"}
	head := []string{"return_id", "order_id", "product_category", "item_price_usd", "reason", "order_date", "return_date", "days_to_return", "refund_usd", "refunded", "condition", "customer_tier", "restocked"}
	var rows [][]string
	for i := range 300 {
		c := weighted(r, cats, []float64{8, 5, 3, 3, 2, 2})
		price := math.Exp(r.normal(3.6, 0.7))
		if c == "Electronics" {
			price *= 3
		}
		reason := pick(r, reasons)
		if c == "Apparel" || c == "Footwear" {
			reason = weighted(r, reasons, []float64{8, 1, 2, 3, 1, 1})
		}
		od := day("2024-01-01").AddDate(0, 0, r.intn(150))
		days := r.between(1, 35)
		refunded := days <= 30 && r.chance(0.9)
		refund := 0.0
		if refunded {
			refund = price
			if reason == "Changed mind" {
				refund = price * 0.9
			}
		}
		cond := weighted(r, []string{"New", "Opened", "Used", "Damaged"}, []float64{5, 4, 2, 1})
		if reason == "Damaged" || reason == "Defective" {
			cond = "Damaged"
		}
		rows = append(rows, []string{fmt.Sprintf("R-%05d", 40001+i), fmt.Sprintf("O-%06d", 300000+r.intn(99999)), c, f(price, 2), reason, ymd(od), ymd(od.AddDate(0, 0, days)), itoa(days),
			f(refund, 2), fmt.Sprint(refunded), cond, weighted(r, []string{"Standard", "Silver", "Gold"}, []float64{6, 3, 1}), fmt.Sprint(cond == "New" || cond == "Opened" && r.chance(0.6))})
	}
	return head, rows
}

var engagementCodes = &codebook{
	label: "Employee engagement survey 2024",
	vars: map[string]variable{
		"emp_ref":       {label: "Anonymised employee reference"},
		"business_unit": {label: "Business unit", labels: map[int]string{1: "Operations", 2: "Sales", 3: "Technology", 4: "Finance", 5: "People"}},
		"tenure_band":   {label: "Years with the company", labels: map[int]string{1: "Less than 1", 2: "1-3", 3: "4-7", 4: "8 or more"}},
		"work_mode":     {label: "Usual place of work", labels: map[int]string{1: "Office", 2: "Hybrid", 3: "Remote"}},
		"manager":       {label: "Manages other people", labels: map[int]string{0: "No", 1: "Yes"}},
		"eng_proud":     {label: "I am proud to work here", labels: map[int]string{1: "Strongly disagree", 2: "Disagree", 3: "Neither", 4: "Agree", 5: "Strongly agree"}},
		"eng_stay":      {label: "I see myself here in two years", labels: map[int]string{1: "Strongly disagree", 2: "Disagree", 3: "Neither", 4: "Agree", 5: "Strongly agree"}},
		"workload":      {label: "My workload is manageable", labels: map[int]string{1: "Never", 2: "Rarely", 3: "Sometimes", 4: "Often", 5: "Always"}},
		"enps":          {label: "How likely to recommend the company as a place to work (0-10)"},
		"training_hrs":  {label: "Training hours in the last 12 months"},
		"submitted":     {label: "Date the survey was submitted", date: true},
		"comment":       {label: "Free-text comment"},
	},
}

func engagementSurvey(r *rng) ([]string, [][]string) {
	head := []string{"emp_ref", "business_unit", "tenure_band", "work_mode", "manager", "eng_proud", "eng_stay", "workload", "enps", "training_hrs", "submitted", "comment"}
	comments := []string{"", "", "", "", "More flexibility please", "Great team", "Too many meetings", "Pay is below market", "Need better tools", "Proud of our mission", "Career paths are unclear"}
	var rows [][]string
	for i := range 300 {
		bu := weighted(r, []int{1, 2, 3, 4, 5}, []float64{5, 4, 4, 2, 1})
		mode := weighted(r, []int{1, 2, 3}, []float64{3, 5, 2})
		if bu == 1 {
			mode = weighted(r, []int{1, 2, 3}, []float64{7, 2, 0.5})
		}
		mood := r.normal(0, 1) + 0.3*boolf(mode == 2) - 0.4*boolf(bu == 2)
		lik := func(shift float64) string { return f(clamp(math.Round(3.6+mood+shift+r.normal(0, 0.6)), 1, 5), 0) }
		enps := ""
		if !r.chance(0.05) {
			enps = f(clamp(math.Round(7+1.6*mood+r.normal(0, 1.2)), 0, 10), 0)
		}
		rows = append(rows, []string{fmt.Sprintf("E%04d", 3001+i), itoa(bu), itoa(weighted(r, []int{1, 2, 3, 4}, []float64{2, 4, 3, 2})), itoa(mode), itoa(boolInt(r.chance(0.18))),
			lik(0.2), lik(-0.1), lik(-0.5 + 0.2*boolf(mode == 3)), enps, f(math.Max(0, math.Round(r.normal(14, 9))), 0), ymd(day("2024-03-04").AddDate(0, 0, r.intn(21))), pick(r, comments)})
	}
	return head, rows
}

func stockPrices(r *rng) ([]string, [][]string) {
	type stock struct {
		ticker, company, sector string
		price, vol, drift       float64
		div                     float64
	}
	stocks := []stock{{"NWTK", "Northwind Tech", "Technology", 182, 0.022, 0.0012, 0}, {"BLHV", "Bluehaven Bank", "Financials", 46, 0.012, 0.0003, 0.31},
		{"GRNE", "Greenfield Energy", "Energy", 71, 0.018, -0.0006, 0.55}, {"MDCR", "Medicore Health", "Health Care", 123, 0.011, 0.0005, 0.42}, {"RTLX", "Retailux", "Consumer", 38, 0.02, -0.0002, 0}}
	head := []string{"date", "ticker", "company", "sector", "open", "high", "low", "close", "volume", "dividend"}
	var rows [][]string
	var days []time.Time
	for d := day("2024-01-02"); len(days) < 80; d = d.AddDate(0, 0, 1) {
		if d.Weekday() == time.Saturday || d.Weekday() == time.Sunday || ymd(d) == "2024-01-15" || ymd(d) == "2024-02-19" {
			continue
		}
		days = append(days, d)
	}
	for _, s := range stocks {
		p := s.price
		for i, d := range days {
			open := p * (1 + r.normal(0, s.vol/3))
			cl := open * (1 + s.drift + r.normal(0, s.vol))
			hi := math.Max(open, cl) * (1 + math.Abs(r.normal(0, s.vol/2)))
			lo := math.Min(open, cl) * (1 - math.Abs(r.normal(0, s.vol/2)))
			vol := int(math.Exp(r.normal(14.5, 0.4)))
			div := ""
			if s.div > 0 && (i == 20 || i == 62) {
				div = f(s.div, 2)
			}
			rows = append(rows, []string{ymd(d), s.ticker, s.company, s.sector, f(open, 2), f(hi, 2), f(lo, 2), f(cl, 2), itoa(vol), div})
			p = cl
		}
	}
	return head, rows
}

func parkVisits(r *rng) ([]string, [][]string) {
	type park struct {
		name, state string
		visits      float64
		summer      float64
		campsites   int
	}
	parks := []park{{"Granite Peaks", "CO", 420000, 2.4, 600}, {"Red Canyon", "UT", 310000, 1.6, 320}, {"Misty Fjord", "AK", 45000, 5, 80}, {"Cypress Swamp", "FL", 160000, 0.7, 150},
		{"Black Mesa", "AZ", 220000, 0.9, 260}, {"Cedar Lakes", "MN", 130000, 3, 410}, {"Lost Coast", "CA", 270000, 1.8, 340}, {"Ironwood Forest", "WA", 190000, 2.2, 220}}
	head := []string{"park", "state", "year", "month", "recreation_visits", "tent_campers", "rv_campers", "backcountry_permits", "campsites", "road_closed_days"}
	var rows [][]string
	for _, p := range parks {
		for _, y := range []int{2022, 2023} {
			for m := 1; m <= 12; m++ {
				season := math.Pow(p.summer, math.Cos(2*math.Pi*float64(m-7)/12))
				v := p.visits / 12 * season / 1.3 * r.uniform(0.85, 1.15)
				if y == 2023 {
					v *= 1.05
				}
				closed := 0
				if p.summer > 2 && (m <= 3 || m >= 11) {
					closed = r.between(5, 31)
					v *= 1 - float64(closed)/45
				}
				tent := v * r.uniform(0.02, 0.05)
				rv := v * r.uniform(0.01, 0.03)
				bc := ""
				if p.name != "Cypress Swamp" {
					bc = f(v*r.uniform(0.002, 0.01), 0)
				}
				rows = append(rows, []string{p.name, p.state, itoa(y), itoa(m), f(v, 0), f(tent, 0), f(rv, 0), bc, itoa(p.campsites), itoa(closed)})
			}
		}
	}
	return head, rows
}

func loanApplications(r *rng) ([]string, [][]string) {
	purposes := []string{"Home improvement", "Debt consolidation", "Car", "Business", "Education", "Medical"}
	branches := []string{"Downtown", "Lakeside", "Airport Road", "Online"}
	head := []string{"application_id", "applied_on", "branch", "applicant_age", "employment", "annual_income_usd", "loan_amount_usd", "term_months", "purpose", "credit_score", "debt_to_income_pct", "co_signer", "approved", "interest_rate_pct", "decision_days"}
	var rows [][]string
	for i := range 360 {
		emp := weighted(r, []string{"Salaried", "Self-employed", "Retired", "Unemployed", "Student"}, []float64{10, 3, 2, 1, 1})
		inc := math.Exp(r.normal(11, 0.45))
		switch emp {
		case "Unemployed":
			inc *= 0.25
		case "Student":
			inc *= 0.35
		case "Retired":
			inc *= 0.6
		}
		score := int(clamp(r.normal(690, 60), 480, 850))
		amount := math.Round(inc*r.uniform(0.05, 0.6)/500) * 500
		dti := clamp(r.normal(28, 10), 2, 65)
		co := r.chance(0.15)
		p := 1 / (1 + math.Exp(-(float64(score-640)/35 - (dti-36)/10 + boolf(co)*1.2)))
		ok := r.chance(p)
		rate := ""
		if ok {
			rate = f(clamp(4+float64(800-score)/25+r.normal(0, 0.8), 3.5, 24), 2)
		}
		br := weighted(r, branches, []float64{3, 2, 2, 4})
		dd := r.between(1, 12)
		if br == "Online" {
			dd = r.between(0, 4)
		}
		rows = append(rows, []string{fmt.Sprintf("LN-%05d", 90001+i), ymd(day("2024-01-02").AddDate(0, 0, r.intn(180))), br, itoa(r.between(19, 78)), emp, f(math.Round(inc/100)*100, 0), f(math.Max(1000, amount), 0),
			itoa(pick(r, []int{12, 24, 36, 48, 60})), pick(r, purposes), itoa(score), f(dti, 1), yesNo(co, "yes", "no"), yesNo(ok, "Y", "N"), rate, itoa(dd)})
	}
	return head, rows
}

func foodDelivery(r *rng) ([]string, [][]string) {
	type rest struct {
		name, cuisine string
		menu          []string
		prep          float64
	}
	rests := []rest{{"Tokyo Bowl", "Japanese", []string{"ramen", "gyoza", "katsu curry", "edamame", "miso soup"}, 14},
		{"Luigi's", "Italian", []string{"margherita", "lasagne", "tiramisu", "garlic bread", "carbonara"}, 18},
		{"Spice Garden", "Indian", []string{"butter chicken", "naan", "samosa", "dal", "biryani"}, 20},
		{"Green Leaf", "Vegan", []string{"buddha bowl", "falafel wrap", "smoothie", "sweet potato fries"}, 10},
		{"Burger Barn", "American", []string{"cheeseburger", "fries", "milkshake", "onion rings", "chicken wings"}, 12}}
	couriers := []string{"Ade", "Bea", "Cal", "Dev", "Eli", "Fay", "Gus", "Hal", "Ivy", "Jo"}
	head := []string{"order_id", "placed_at", "restaurant", "cuisine", "courier", "items", "item_count", "distance_km", "prep_time_min", "delivery_time_min", "order_total_eur", "tip_eur", "customer_rating", "late"}
	var rows [][]string
	t0 := time.Date(2024, 5, 1, 11, 0, 0, 0, time.UTC)
	for range 400 {
		rs := weighted(r, rests, []float64{3, 4, 3, 2, 4})
		d := r.intn(45)
		hour := weighted(r, []int{11, 12, 13, 17, 18, 19, 20, 21}, []float64{1, 4, 3, 1, 4, 5, 3, 1})
		at := t0.AddDate(0, 0, d).Add(time.Duration(hour-11)*time.Hour + time.Duration(r.intn(60))*time.Minute)
		n := weighted(r, []int{1, 2, 3, 4, 5}, []float64{2, 4, 3, 2, 1})
		var items []string
		for range n {
			items = append(items, pick(r, rs.menu))
		}
		dist := math.Max(0.3, r.normal(3, 1.5))
		prep := math.Max(4, r.normal(rs.prep, 4))
		del := prep + dist*r.uniform(2.5, 4.5) + r.uniform(2, 8)
		late := del > 40
		total := float64(n) * r.uniform(6, 14)
		tip := 0.0
		if r.chance(0.5) {
			tip = math.Round(total*pick(r, []float64{0.05, 0.1, 0.15})*10) / 10
		}
		rating := ""
		if r.chance(0.6) {
			rating = itoa(int(clamp(math.Round(r.normal(4.5-boolf(late)*1.3, 0.7)), 1, 5)))
		}
		rows = append(rows, []string{"", at.Format("2006-01-02 15:04:05"), rs.name, rs.cuisine, pick(r, couriers), strings.Join(items, "|"), itoa(n), f(dist, 1), f(prep, 0), f(del, 0), f(total, 2), f(tip, 2), rating, fmt.Sprint(late)})
	}
	sort.SliceStable(rows, func(a, b int) bool { return rows[a][1] < rows[b][1] })
	for i := range rows {
		rows[i][0] = fmt.Sprintf("FD%05d", 10001+i)
	}
	return head, rows
}

func volunteerHours(r *rng) ([]string, [][]string) {
	orgs := []struct{ name, cause string }{{"Riverbank Food Bank", "Hunger"}, {"Second Chance Animal Rescue", "Animals"}, {"Greenway Trail Trust", "Environment"}, {"Literacy First", "Education"}, {"Harbor Senior Centre", "Elderly care"}}
	activities := map[string][]string{"Hunger": {"sorting donations", "packing boxes", "driving deliveries"}, "Animals": {"dog walking", "cleaning kennels", "adoption events"},
		"Environment": {"tree planting", "litter picking", "trail repair"}, "Education": {"reading with kids", "homework club", "adult tutoring"}, "Elderly care": {"befriending calls", "lunch service", "garden help"}}
	vols := make([]string, 45)
	for i := range vols {
		vols[i] = person(r)
	}
	head := []string{"Volunteer", "Organisation", "Cause", "Activity", "Date", "Hours", "Role", "First Shift", "Group Booking"}
	var rows [][]string
	firsts := map[string]bool{}
	var dates []time.Time
	for range 340 {
		dates = append(dates, day("2024-01-06").AddDate(0, 0, r.intn(240)))
	}
	sort.Slice(dates, func(a, b int) bool { return dates[a].Before(dates[b]) })
	for _, d := range dates {
		o := weighted(r, orgs, []float64{5, 3, 3, 2, 2})
		v := vols[int(math.Min(44, math.Abs(r.normal(0, 15))))]
		hrs := pick(r, []float64{1, 1.5, 2, 2.5, 3, 4, 6})
		first := !firsts[v]
		firsts[v] = true
		role := weighted(r, []string{"Volunteer", "Team Lead", "Driver"}, []float64{10, 1.5, 1})
		act := pick(r, activities[o.cause])
		if act == "driving deliveries" {
			role = "Driver"
		}
		rows = append(rows, []string{v, o.name, o.cause, act, d.Format("02/01/2006"), f(hrs, 1), role, yesNo(first, "Yes", "No"), yesNo(r.chance(0.15), "Y", "N")})
	}
	return head, rows
}

func carRentals(r *rng) ([]string, [][]string) {
	classes := []struct {
		name string
		rate float64
	}{{"Economy", 34}, {"Compact", 41}, {"SUV", 68}, {"Premium", 95}, {"Van", 79}}
	branches := []string{"Lisbon Airport", "Porto Airport", "Faro Airport", "Lisbon Downtown", "Porto Campanha"}
	head := []string{"rental_id", "pickup_branch", "return_branch", "car_class", "pickup_date", "return_date", "rental_days", "km_driven", "daily_rate_eur", "total_eur", "insurance", "one_way", "damage_reported", "fuel_level_on_return_pct", "customer_age"}
	var rows [][]string
	for i := range 320 {
		c := weighted(r, classes, []float64{6, 5, 3, 1, 1})
		pb := weighted(r, branches, []float64{5, 3, 4, 2, 1})
		days := max(1, int(math.Round(math.Exp(r.normal(1.5, 0.6)))))
		oneWay := r.chance(0.12)
		rb := pb
		if oneWay {
			for rb == pb {
				rb = pick(r, branches)
			}
		}
		pickup := day("2024-04-01").AddDate(0, 0, r.intn(180))
		if pickup.Month() >= 7 && pickup.Month() <= 8 {
			days++
		}
		rate := c.rate * r.uniform(0.9, 1.2)
		if pickup.Month() >= 7 && pickup.Month() <= 8 {
			rate *= 1.3
		}
		ins := r.chance(0.45)
		total := rate * float64(days)
		if ins {
			total += 12 * float64(days)
		}
		if oneWay {
			total += 60
		}
		age := r.between(21, 78)
		fuel := ""
		if !r.chance(0.05) {
			fuel = itoa(5 * r.between(2, 20))
		}
		rows = append(rows, []string{fmt.Sprintf("RN-%04d", 5001+i), pb, rb, c.name, ymd(pickup), ymd(pickup.AddDate(0, 0, days)), itoa(days), f(float64(days)*r.uniform(40, 180), 0),
			f(rate, 2), f(total, 2), yesNo(ins, "Yes", "No"), yesNo(oneWay, "TRUE", "FALSE"), yesNo(r.chance(0.06+boolf(age < 25)*0.06), "y", "n"), fuel, itoa(age)})
	}
	return head, rows
}
