package lab

// This file implements AzureNetworkAnalytics_CL: Traffic Analytics flow
// records (schema version 2), one per flow tuple and processing interval.

import (
	"strconv"
	"time"

	"github.com/vigil-hunt/vigil/kql/types"
	"github.com/vigil-hunt/vigil/kql/value"
)

// flowInterval is Traffic Analytics' processing interval.
const flowInterval = time.Hour

// flow is one aggregated flow record.
type flow struct {
	typ                     string // IntraVNet, ExternalPublic, AzurePublic, MaliciousFlow
	src, dst                *host  // Azure hosts on either side, when there are any
	srcIP, dstIP, publicIP  string
	inbound                 bool // the public side started the flow
	port                    int
	l4, l7                  string
	allowed                 bool
	rule, ruleType, country string
	azureRegion             string
	flows                   int
	inPk, outPk, inB, outB  int64
	first, last, ivStart    value.Datetime
}

// addFlow queues a flow record for the interval starting at ivStart; it is
// processed (TimeGenerated) a few minutes after the interval ends.
func (g *gen) addFlow(r *rng, f *flow) {
	processed := add(f.ivStart, flowInterval+r.dur(4*time.Minute, 12*time.Minute))
	if f.first == 0 {
		f.first = add(f.ivStart, r.dur(0, flowInterval/2))
		f.last = add(f.first, r.dur(time.Second, flowInterval/2))
	}
	g.sink.add(tFlows, &record{t: processed, fl: f})
}

// vmSide returns the Azure host on side 1 (source) or 2 (destination).
func (f *flow) vmSide(n int) *host {
	if n == 1 {
		return f.src
	}
	return f.dst
}

// publicEntry formats a Src/DestPublicIPs_s entry: ip|started|ended|
// outbound packets|inbound packets|outbound bytes|inbound bytes.
func (f *flow) publicEntry() string {
	n := strconv.Itoa(f.flows)
	return f.publicIP + "|" + n + "|" + n + "|" + strconv.FormatInt(f.outPk, 10) + "|" + strconv.FormatInt(f.inPk, 10) +
		"|" + strconv.FormatInt(f.outB, 10) + "|" + strconv.FormatInt(f.inB, 10)
}

func (g *gen) flowColumns() map[string]colFn {
	fl := g.fleet
	str := func(get func(*flow) string) colFn {
		return func(r *record) value.Value { return vs(get(r.fl)) }
	}
	constant := func(s string) colFn { return func(*record) value.Value { return vs(s) } }
	num := func(get func(*flow) float64) colFn {
		return func(r *record) value.Value { return value.OfReal(get(r.fl)) }
	}
	tm := func(get func(*flow) value.Datetime) colFn {
		return func(r *record) value.Value { return value.OfDatetime(get(r.fl)) }
	}
	side := func(n int, get func(*host) string) colFn {
		return func(r *record) value.Value {
			if h := r.fl.vmSide(n); h != nil && h.vm != nil {
				return vs(get(h))
			}
			return vs("")
		}
	}
	subSide := func(n int) colFn {
		return func(r *record) value.Value {
			if h := r.fl.vmSide(n); h != nil && h.vm != nil {
				return value.OfGuid(fl.subID)
			}
			return value.Null(types.Guid)
		}
	}
	vmOf := func(f *flow) *host {
		if f.src != nil {
			return f.src
		}
		return f.dst
	}
	empty := []string{"Computer", "_ResourceId", "NSGRules_s", "Region_s", "NIC_s", "VM_s", "Subnet_s",
		"ApplicationGateway1_s", "ApplicationGateway2_s", "ExpressRouteCircuit1_s", "ExpressRouteCircuit2_s",
		"ExpressRouteCircuitPeeringType_s", "LoadBalancer1_s", "LoadBalancer2_s", "LocalNetworkGateway1_s",
		"LocalNetworkGateway2_s", "ConnectionType_s", "ConnectionName_s", "ConnectingVNets_s", "PublicIPs_s"}
	m := map[string]colFn{
		"SourceSystem":            constant("Azure"),
		"SubType_s":               constant("FlowLog"),
		"FASchemaVersion_s":       constant("2"),
		"TimeProcessed_t":         func(r *record) value.Value { return value.OfDatetime(r.t) },
		"FlowIntervalStartTime_t": tm(func(f *flow) value.Datetime { return f.ivStart }),
		"FlowIntervalEndTime_t":   tm(func(f *flow) value.Datetime { return add(f.ivStart, flowInterval) }),
		"FlowStartTime_t":         tm(func(f *flow) value.Datetime { return f.first }),
		"FlowEndTime_t":           tm(func(f *flow) value.Datetime { return f.last }),
		"FlowType_s":              str(func(f *flow) string { return f.typ }),
		"SrcIP_s":                 str(func(f *flow) string { return f.srcIP }),
		"DestIP_s":                str(func(f *flow) string { return f.dstIP }),
		"VMIP_s": str(func(f *flow) string {
			if f.publicIP == "" {
				return ""
			}
			return vmOf(f).IP
		}),
		"DestPort_d":   num(func(f *flow) float64 { return float64(f.port) }),
		"L4Protocol_s": str(func(f *flow) string { return f.l4 }),
		"L7Protocol_s": str(func(f *flow) string { return f.l7 }),
		"FlowDirection_s": str(func(f *flow) string {
			if f.inbound {
				return "I"
			}
			return "O"
		}),
		"FlowStatus_s": str(func(f *flow) string {
			if f.allowed {
				return "A"
			}
			return "D"
		}),
		"NSGList_s": str(func(f *flow) string {
			h := vmOf(f)
			return fl.subID + "/" + h.vm.RG + "/" + h.vm.NSG
		}),
		"NSGRule_s":       str(func(f *flow) string { return f.rule }),
		"NSGRuleType_s":   str(func(f *flow) string { return f.ruleType }),
		"MACAddress_s":    str(func(f *flow) string { return vmOf(f).mac }),
		"Subscription_g":  func(*record) value.Value { return value.Null(types.Guid) },
		"Subscription1_g": subSide(1),
		"Subscription2_g": subSide(2),
		"Region1_s":       side(1, func(h *host) string { return h.vm.Region }),
		"Region2_s":       side(2, func(h *host) string { return h.vm.Region }),
		"NIC1_s":          side(1, func(h *host) string { return h.vm.RG + "/" + h.vm.NIC }),
		"NIC2_s":          side(2, func(h *host) string { return h.vm.RG + "/" + h.vm.NIC }),
		"VM1_s":           side(1, func(h *host) string { return h.vm.RG + "/" + h.vm.Name }),
		"VM2_s":           side(2, func(h *host) string { return h.vm.RG + "/" + h.vm.Name }),
		"Subnet1_s":       side(1, func(h *host) string { return h.vm.RG + "/" + h.vm.VNet + "/" + h.vm.Subnet }),
		"Subnet2_s":       side(2, func(h *host) string { return h.vm.RG + "/" + h.vm.VNet + "/" + h.vm.Subnet }),
		"Country_s": str(func(f *flow) string {
			if f.typ == "ExternalPublic" || f.typ == "MaliciousFlow" {
				return f.country
			}
			return ""
		}),
		"AzureRegion_s":    str(func(f *flow) string { return f.azureRegion }),
		"AllowedInFlows_d": num(func(f *flow) float64 { return flowCount(f, true, true) }),
		"DeniedInFlows_d":  num(func(f *flow) float64 { return flowCount(f, true, false) }),
		"AllowedOutFlows_d": num(func(f *flow) float64 {
			return flowCount(f, false, true)
		}),
		"DeniedOutFlows_d": num(func(f *flow) float64 { return flowCount(f, false, false) }),
		"FlowCount_d":      func(*record) value.Value { return value.Null(types.Real) },
		"InboundPackets_d": num(func(f *flow) float64 { return float64(f.inPk) }),
		"OutboundPackets_d": num(func(f *flow) float64 {
			return float64(f.outPk)
		}),
		"InboundBytes_d":  num(func(f *flow) float64 { return float64(f.inB) }),
		"OutboundBytes_d": num(func(f *flow) float64 { return float64(f.outB) }),
		"CompletedFlows_d": num(func(f *flow) float64 {
			if !f.allowed {
				return 0
			}
			return float64(f.flows)
		}),
		"SrcPublicIPs_s": str(func(f *flow) string {
			if f.publicIP == "" || !f.inbound {
				return ""
			}
			return f.publicEntry()
		}),
		"DestPublicIPs_s": str(func(f *flow) string {
			if f.publicIP == "" || f.inbound {
				return ""
			}
			return f.publicEntry()
		}),
		"IsFlowCapturedAtUDRHop_b": func(*record) value.Value { return value.OfBool(false) },
		"_SubscriptionId":          constant(fl.subID),
	}
	for _, c := range empty {
		m[c] = constant("")
	}
	return m
}

// flowCount splits a record's flow count into the four allowed/denied,
// inbound/outbound counters.
func flowCount(f *flow, in, allowed bool) float64 {
	if f.inbound == in && f.allowed == allowed {
		return float64(f.flows)
	}
	return 0
}
