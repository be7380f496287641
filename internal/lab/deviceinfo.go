package lab

// This file implements DeviceInfo: the periodic inventory report each
// sensor sends about its device.

import (
	"time"

	"github.com/vigil-hunt/vigil/kql/value"
)

// infoRow is one DeviceInfo report.
type infoRow struct {
	h     *host
	users []*account
}

// deviceInfo reports h's inventory about once an hour through the day.
func (c *hctx) deviceInfo(day value.Datetime, loggedOn func(t value.Datetime) []*account) {
	t := add(day, c.r.dur(0, time.Hour))
	for end := add(day, 24*time.Hour); t < end; t = add(t, c.r.dur(55*time.Minute, 65*time.Minute)) {
		c.g.sink.add(tInfo, &record{t: t, info: &infoRow{h: c.h, users: loggedOn(t)}})
	}
}

func assetValue(crit int) string {
	switch {
	case crit >= 4:
		return "High"
	case crit >= 2:
		return "Normal"
	}
	return "Low"
}

func joinType(h *host) string {
	switch {
	case h.linux:
		return ""
	case h.Role == "workstation":
		return "Hybrid Azure AD Join"
	}
	return "Domain Joined"
}

func (g *gen) infoColumns() map[string]colFn {
	h := func(get func(*host) string) colFn {
		return func(r *record) value.Value { return vs(get(r.info.h)) }
	}
	sub := g.fleet.subID
	return map[string]colFn{
		"Timestamp":     func(r *record) value.Value { return value.OfDatetime(r.t) },
		"DeviceId":      h(func(h *host) string { return h.ID }),
		"DeviceName":    h(func(h *host) string { return h.Name }),
		"ClientVersion": h(func(h *host) string { return h.clientVersion }),
		"PublicIP": h(func(h *host) string {
			if h.vm != nil {
				return h.vm.PublicIP
			}
			return officeIP
		}),
		"OSArchitecture": h(func(h *host) string { return "64-bit" }),
		"OSPlatform":     h(func(h *host) string { return h.platform }),
		"OSBuild":        func(r *record) value.Value { return vlong(r.info.h.build, r.info.h.build != 0) },
		"IsAzureADJoined": func(r *record) value.Value {
			return value.OfBool(r.info.h.Role == "workstation" && !r.info.h.linux)
		},
		"JoinType": h(joinType),
		"AadDeviceId": h(func(h *host) string {
			if joinType(h) == "Hybrid Azure AD Join" {
				return h.aadID
			}
			return ""
		}),
		"LoggedOnUsers": func(r *record) value.Value {
			arr := make([]any, 0, len(r.info.users))
			for _, a := range r.info.users {
				arr = append(arr, bag("UserName", a.Name, "DomainName", a.Domain, "Sid", a.Sid))
			}
			return value.OfDynamic(arr)
		},
		"RegistryDeviceTag": h(func(h *host) string { return "" }),
		"OSVersion":         h(func(h *host) string { return h.osVersion }),
		"MachineGroup":      h(func(h *host) string { return h.group }),
		"ReportId":          func(r *record) value.Value { return value.OfLong(r.rid) },
		"OnboardingStatus":  h(func(h *host) string { return "Onboarded" }),
		"AdditionalFields":  func(r *record) value.Value { return vdyn(nil) },
		"DeviceCategory":    h(func(h *host) string { return "Endpoint" }),
		"DeviceType":        h(func(h *host) string { return h.deviceType }),
		"DeviceSubtype":     h(func(h *host) string { return "" }),
		"Model":             h(func(h *host) string { return h.model }),
		"Vendor":            h(func(h *host) string { return h.vendor }),
		"OSDistribution":    h(func(h *host) string { return h.osDist }),
		"OSVersionInfo":     h(func(h *host) string { return h.osVerInfo }),
		"MergedDeviceIds":   h(func(h *host) string { return "" }),
		"MergedToDeviceId":  h(func(h *host) string { return "" }),
		"IsInternetFacing":  func(r *record) value.Value { return value.OfBool(r.info.h.exposed) },
		"SensorHealthState": h(func(h *host) string { return "Active" }),
		"IsExcluded":        func(r *record) value.Value { return value.OfBool(false) },
		"ExclusionReason":   h(func(h *host) string { return "" }),
		"ExposureLevel": h(func(h *host) string {
			switch {
			case h.exposed:
				return "High"
			case h.Role == "workstation":
				return "Medium"
			}
			return "Low"
		}),
		"AssetValue": h(func(h *host) string { return assetValue(h.Criticality) }),
		"DeviceManualTags": h(func(h *host) string {
			if h.Role == "domain-controller" {
				return `["Tier0"]`
			}
			return "[]"
		}),
		"DeviceDynamicTags": h(func(h *host) string { return "[]" }),
		"ConnectivityType":  h(func(h *host) string { return "Streamlined" }),
		"HostDeviceId":      h(func(h *host) string { return "" }),
		"AzureResourceId": h(func(h *host) string {
			if h.vm == nil {
				return ""
			}
			return vmResourceID(sub, h.vm)
		}),
		"AwsResourceName":     h(func(h *host) string { return "" }),
		"GcpFullResourceName": h(func(h *host) string { return "" }),
		"DeviceObjectId": h(func(h *host) string {
			if joinType(h) == "Hybrid Azure AD Join" {
				return h.aadObj
			}
			return ""
		}),
	}
}

// vmResourceID is the Azure resource id of a virtual machine.
func vmResourceID(sub string, vm *azureVM) string {
	return "/subscriptions/" + sub + "/resourceGroups/" + vm.RG + "/providers/Microsoft.Compute/virtualMachines/" + vm.Name
}
