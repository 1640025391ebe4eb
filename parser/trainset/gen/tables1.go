package main

import (
	"fmt"
	"math"
	"strings"
)

func salesOrders(r *rng) ([]string, [][]string) {
	type product struct {
		name, cat string
		price     float64
	}
	products := []product{
		{"Laptop Pro 14", "Electronics", 1299}, {"Wireless Mouse", "Electronics", 24.99}, {"USB-C Hub", "Electronics", 49.5},
		{"Noise-Cancelling Headphones", "Electronics", 199}, {"Office Chair", "Furniture", 249}, {"Standing Desk", "Furniture", 499},
		{"Bookshelf", "Furniture", 129.9}, {"Printer Paper (500 sheets)", "Office Supplies", 6.49}, {"Gel Pens (12 pack)", "Office Supplies", 8.99},
		{"Stapler", "Office Supplies", 12.75}, {"Rain Jacket", "Clothing", 89}, {"Wool Sweater", "Clothing", 64.5},
		{"Running Shoes", "Clothing", 110}, {"Building Blocks Set", "Toys", 39.99}, {"Puzzle 1000 pieces", "Toys", 17.25},
	}
	regions := []string{"North", "South", "East", "West", "Central"}
	payments := []string{"Credit Card", "PayPal", "Bank Transfer", "Cash"}
	reps := []string{"Hana Ito", "Marco Rossi", "Priya Iqbal", "Liam Brennan", "Sofia Costa", "Kofi Mensah"}
	customers := make([]string, 70)
	for i := range customers {
		customers[i] = person(r)
	}
	head := []string{"order_id", "order_date", "customer_name", "region", "product", "product_category", "qty", "unit_price_usd", "discount_pct", "total_usd", "payment_method", "sales_rep", "shipped"}
	var rows [][]string
	start := day("2023-01-02")
	d := 0
	for i := range 300 {
		d += r.between(0, 3)
		p := weighted(r, products, []float64{3, 9, 6, 4, 4, 2, 3, 8, 7, 5, 4, 4, 4, 5, 5})
		qty := r.between(1, 6)
		if p.price < 20 {
			qty = r.between(2, 25)
		}
		disc := weighted(r, []int{0, 5, 10, 15, 20}, []float64{10, 4, 3, 2, 1})
		total := math.Round(float64(qty)*p.price*(1-float64(disc)/100)*100) / 100
		date := start.AddDate(0, 0, d)
		shipped := "yes"
		if d > 420 && r.chance(0.6) || r.chance(0.04) {
			shipped = "no"
		}
		rows = append(rows, []string{
			fmt.Sprintf("SO-%d", 10001+i), ymd(date), pick(r, customers),
			weighted(r, regions, []float64{5, 4, 6, 5, 3}), p.name, p.cat, itoa(qty), f(p.price, 2), itoa(disc), f(total, 2),
			weighted(r, payments, []float64{8, 4, 3, 1}), pick(r, reps), shipped,
		})
	}
	return head, rows
}

func employees(r *rng) ([]string, [][]string) {
	type dept struct {
		name   string
		titles []string
		base   float64
		weight float64
	}
	depts := []dept{
		{"Engineering", []string{"Software Engineer", "Senior Software Engineer", "QA Engineer", "Engineering Manager"}, 98000, 6},
		{"Sales", []string{"Account Executive", "Sales Representative", "Sales Manager"}, 62000, 5},
		{"Marketing", []string{"Marketing Specialist", "Content Writer", "Marketing Manager"}, 64000, 3},
		{"Finance", []string{"Accountant", "Financial Analyst", "Finance Manager"}, 72000, 2},
		{"Human Resources", []string{"HR Generalist", "Recruiter", "HR Manager"}, 58000, 2},
		{"Customer Support", []string{"Support Agent", "Support Team Lead"}, 45000, 4},
	}
	offices := []string{"Berlin", "Toronto", "Austin", "Lisbon", "Singapore"}
	head := []string{"Employee ID", "Full Name", "Department", "Job Title", "Office", "Hire Date", "Salary (USD)", "Years Experience", "Remote", "Is Manager", "Performance Score"}
	var rows [][]string
	w := make([]float64, len(depts))
	for i, d := range depts {
		w[i] = d.weight
	}
	for i := range 180 {
		d := weighted(r, depts, w)
		title := pick(r, d.titles)
		mgr := strings.Contains(title, "Manager") || strings.Contains(title, "Lead")
		exp := r.between(0, 22)
		if mgr {
			exp = r.between(6, 25)
		}
		sal := d.base * (1 + 0.035*float64(exp)) * r.uniform(0.88, 1.12)
		if mgr {
			sal *= 1.3
		}
		sal = math.Round(sal/100) * 100
		hire := day("2008-01-01").AddDate(0, 0, r.intn(6000))
		perf := ""
		if !r.chance(0.12) {
			perf = f(clamp(math.Round(r.normal(3.6, 0.7)*10)/10, 1, 5), 1)
		}
		remote := "false"
		if r.chance(0.3) {
			remote = "true"
		}
		rows = append(rows, []string{
			fmt.Sprintf("E%04d", 1001+i), person(r), d.name, title, weighted(r, offices, []float64{5, 4, 4, 2, 2}),
			ymd(hire), f(sal, 0), itoa(exp), remote, fmt.Sprint(mgr), perf,
		})
	}
	return head, rows
}

func studentGrades(r *rng) ([]string, [][]string) {
	classes := []string{"9A", "9B", "10A", "10B"}
	clubs := []string{"chess", "robotics", "choir", "drama", "debate", "football", "art"}
	head := []string{"student_id", "student_name", "class", "gender", "math_score", "reading_score", "science_score", "attendance_pct", "clubs", "passed"}
	var rows [][]string
	for i := range 120 {
		cls := classes[i%4]
		ability := r.normal(68, 12)
		if cls == "10A" {
			ability += 4
		}
		sc := func(bias float64) int { return int(clamp(math.Round(ability+bias+r.normal(0, 8)), 12, 100)) }
		m, rd, s := sc(-2), sc(3), sc(0)
		att := clamp(r.normal(93, 4.5), 70, 100)
		var cs []string
		if !r.chance(0.3) {
			cs = sample(r, clubs, r.between(1, 3))
		}
		avg := float64(m+rd+s) / 3
		g := pick(r, []string{"F", "M"})
		rows = append(rows, []string{
			fmt.Sprintf("S%03d", 1+i), personOf(r, g), cls, g, itoa(m), itoa(rd), itoa(s),
			f(att, 1), strings.Join(cs, "; "), fmt.Sprint(avg >= 60 && att >= 80),
		})
	}
	return head, rows
}

func hospitalVisits(r *rng) ([]string, [][]string) {
	depts := []string{"Emergency", "Cardiology", "Orthopedics", "Pediatrics", "Neurology", "Oncology"}
	diag := map[string][]string{
		"Emergency":   {"fracture", "laceration", "chest pain", "asthma attack"},
		"Cardiology":  {"arrhythmia", "heart failure", "chest pain"},
		"Orthopedics": {"fracture", "knee replacement", "hip replacement"},
		"Pediatrics":  {"bronchiolitis", "asthma attack", "gastroenteritis"},
		"Neurology":   {"stroke", "migraine", "epilepsy"},
		"Oncology":    {"chemotherapy", "radiotherapy"},
	}
	head := []string{"visitId", "patientAge", "patientSex", "department", "primaryDiagnosis", "admissionDate", "dischargeDate", "lengthOfStayDays", "triageLevel", "isInsured", "billAmountUsd", "readmittedWithin30d"}
	var rows [][]string
	for i := range 250 {
		d := weighted(r, depts, []float64{9, 5, 4, 4, 3, 2})
		age := r.between(19, 92)
		if d == "Pediatrics" {
			age = r.between(0, 17)
		}
		stay := int(math.Max(0, math.Round(r.normal(3, 2.5))))
		if d == "Oncology" || d == "Neurology" {
			stay += 3
		}
		adm := day("2024-01-01").AddDate(0, 0, r.intn(182))
		triage := r.between(1, 5)
		bill := 1200 + 2100*float64(stay) + r.uniform(0, 1500)
		if d == "Cardiology" || d == "Oncology" {
			bill *= 1.6
		}
		readm := "N"
		if r.chance(0.12) {
			readm = "Y"
		}
		rows = append(rows, []string{
			itoa(50001 + i), itoa(age), pick(r, []string{"F", "M"}), d, pick(r, diag[d]), ymd(adm), ymd(adm.AddDate(0, 0, stay)),
			itoa(stay), itoa(triage), fmt.Sprint(r.chance(0.82)), f(bill, 2), readm,
		})
	}
	return head, rows
}

func weatherMonthly(r *rng) ([]string, [][]string) {
	type station struct {
		id, name, city    string
		mean, amp, precip float64
		south             bool
	}
	stations := []station{
		{"NO-OSL", "Oslo Blindern", "Oslo", 6.5, 10, 65, false},
		{"ES-MAD", "Madrid Retiro", "Madrid", 15.5, 9.5, 35, false},
		{"IS-REY", "Reykjavik Harbour", "Reykjavik", 5, 6, 75, false},
		{"SG-CHA", "Changi", "Singapore", 27.8, 1, 190, false},
		{"US-DEN", "Denver Central Park", "Denver", 10.5, 11.5, 38, false},
		{"AU-MEL", "Melbourne Olympic Park", "Melbourne", 15.5, 5, 50, true},
	}
	head := []string{"station_id", "station_name", "city", "year", "month", "avg_temp_c", "max_temp_c", "min_temp_c", "precip_mm", "rain_days", "sunshine_hours", "snowfall_cm"}
	var rows [][]string
	for _, s := range stations {
		for _, y := range []int{2022, 2023} {
			for m := 1; m <= 12; m++ {
				phase := math.Cos(2 * math.Pi * float64(m-7) / 12)
				if s.south {
					phase = -phase
				}
				avg := s.mean + s.amp*phase + r.normal(0, 1.1)
				mx := avg + r.uniform(9, 14)
				mn := avg - r.uniform(8, 13)
				pr := math.Max(0, s.precip*(1+0.4*r.normal(0, 1)))
				rd := int(clamp(math.Round(pr/6+r.normal(0, 2)), 0, 28))
				sun := ""
				if !(s.id == "IS-REY" && y == 2023 && m >= 3 && m <= 6) && !(s.id == "SG-CHA" && m == 11) {
					sun = f(clamp(120+90*phase-pr/5+r.normal(0, 15), 8, 400), 1)
				}
				snow := 0.0
				if avg < 3 {
					snow = math.Round(r.uniform(4, 40))
				}
				rows = append(rows, []string{s.id, s.name, s.city, itoa(y), itoa(m), f(avg, 1), f(mx, 1), f(mn, 1), f(pr, 1), itoa(rd), sun, f(snow, 0)})
			}
		}
	}
	return head, rows
}

func flights(r *rng) ([]string, [][]string) {
	carriers := []string{"SkyJet", "Blue Horizon", "Polar Air", "Coastline Airways"}
	codes := map[string]string{"SkyJet": "SJ", "Blue Horizon": "BH", "Polar Air": "PA", "Coastline Airways": "CL"}
	type route struct {
		a, b string
		km   int
	}
	routes := []route{{"JFK", "LAX", 3983}, {"JFK", "ORD", 1188}, {"ATL", "DFW", 1174}, {"SEA", "DEN", 1647}, {"BOS", "ATL", 1525},
		{"ORD", "DEN", 1428}, {"LAX", "SEA", 1536}, {"DFW", "BOS", 2495}, {"DEN", "ATL", 1945}, {"LAX", "ORD", 2806}}
	head := []string{"flight_id", "carrier", "flight_number", "origin", "destination", "flight_date", "sched_dep_time", "dep_delay_min", "arr_delay_min", "distance_km", "seats", "passengers", "cancelled"}
	var rows [][]string
	for i := range 300 {
		c := weighted(r, carriers, []float64{5, 4, 2, 3})
		rt := pick(r, routes)
		o, d := rt.a, rt.b
		if r.chance(0.5) {
			o, d = d, o
		}
		date := day("2024-03-01").AddDate(0, 0, r.intn(61))
		hh, mm := r.between(5, 22), 5*r.intn(12)
		seats := pick(r, []int{150, 180, 186, 220})
		pax := int(float64(seats) * clamp(r.normal(0.85, 0.08), 0.4, 1))
		cancel := r.chance(0.035)
		if c == "Polar Air" && date.Month() == 3 && r.chance(0.08) {
			cancel = true
		}
		dep, arr := "", ""
		if !cancel {
			dl := int(math.Round(math.Max(-8, r.normal(4, 7)+math.Max(0, r.normal(-10, 30)))))
			if c == "Polar Air" {
				dl += r.between(0, 12)
			}
			dep = itoa(dl)
			arr = itoa(dl + r.between(-12, 9))
		} else {
			pax = 0
		}
		rows = append(rows, []string{itoa(1 + i), c, fmt.Sprintf("%s%d", codes[c], 100+r.intn(900)), o, d, ymd(date), fmt.Sprintf("%02d:%02d", hh, mm), dep, arr, itoa(rt.km), itoa(seats), itoa(pax), fmt.Sprint(cancel)})
	}
	return head, rows
}
