package lab

// This file implements SigninLogs: Entra ID interactive sign-ins.

import (
	"encoding/base64"
	"strconv"

	"github.com/vigil-hunt/vigil/kql/value"
)

// app is an Entra application a user signs in to, with the resource the
// token is for. The ids are Microsoft's published first-party app ids.
type app struct{ Name, ID, Resource, ResourceID string }

var (
	appTeams   = app{"Microsoft Teams", "1fec8e78-bce4-4aaf-ab1b-5451cc387264", "Microsoft Teams Services", "cc15fd57-2c6c-4117-a88c-83b1d56b4bbe"}
	appOffice  = app{"Microsoft Office", "d3590ed6-52b3-4102-aeff-aad2292ab01c", "Office 365 Exchange Online", "00000002-0000-0ff1-ce00-000000000000"}
	appHome    = app{"OfficeHome", "4765445b-32c6-49b0-83e6-1d93765276ca", "OfficeHome", "4765445b-32c6-49b0-83e6-1d93765276ca"}
	appSPO     = app{"Microsoft Office", "d3590ed6-52b3-4102-aeff-aad2292ab01c", "Office 365 SharePoint Online", "00000003-0000-0ff1-ce00-000000000000"}
	appWindows = app{"Windows Sign In", "38aa3b87-a06d-4817-b275-7a316988d93b", "Windows Azure Active Directory", "00000002-0000-0000-c000-000000000000"}
	appPortal  = app{"Azure Portal", "c44b4083-3bb0-49c1-b47d-974e53cbdf3c", "Windows Azure Service Management API", "797f4846-ba00-4fd7-ba43-dac1f8f63013"}
	appAzPS    = app{"Microsoft Azure PowerShell", "1950a258-227b-4e31-a9cf-717495945fc2", "Windows Azure Service Management API", "797f4846-ba00-4fd7-ba43-dac1f8f63013"}
	appAzCLI   = app{"Microsoft Azure CLI", "04b07795-8ddb-461a-bbee-02f9e1bf7b46", "Windows Azure Service Management API", "797f4846-ba00-4fd7-ba43-dac1f8f63013"}
	appAADPS   = app{"Azure Active Directory PowerShell", "1b730954-1685-4b74-9bfd-dac224a7b894", "Windows Azure Active Directory", "00000002-0000-0000-c000-000000000000"}
)

// resultText gives ResultDescription and Status.failureReason for the
// sign-in error codes the lab uses.
var resultText = map[string]string{
	"0":     "",
	"50126": "Error validating credentials due to invalid username or password.",
	"50053": "Account is locked because user tried to sign in too many times with an incorrect user ID or password.",
	"50074": "Strong Authentication is required.",
	"50076": "Due to a configuration change made by your administrator, or because you moved to a new location, you must use multi-factor authentication to access the resource.",
	"50140": "This error occurred due to 'Keep me signed in' interrupt when the user was signing in.",
	"50034": "The user account does not exist in the directory.",
	"53003": "Access has been blocked by Conditional Access policies.",
}

// signin is one SigninLogs row.
type signin struct {
	upn, display, userID string
	app                  app
	ip                   string
	loc                  place
	result               string
	mfa                  bool
	ua, client, proto    string
	dev                  *host // the managed device, if any
	browser, os          string
	corr, token          string
	risk                 string // RiskLevelDuringSignIn: none, low, medium, high
	riskEvents           []string
	caStatus             string
}

// newSignin fills the fields every sign-in has and queues it.
func (g *gen) addSignin(r *rng, at value.Datetime, s *signin) {
	s.corr = r.guid()
	var tok [16]byte
	for i := range tok {
		tok[i] = byte(r.intn(256))
	}
	s.token = base64.RawURLEncoding.EncodeToString(tok[:])
	if s.risk == "" {
		s.risk = "none"
	}
	if s.caStatus == "" {
		s.caStatus = "notApplied"
		if s.result == "0" {
			s.caStatus = "success"
		}
	}
	g.sink.add(tSignin, &record{t: at, id: r.guid(), si: s})
}

func (g *gen) signinColumns() map[string]colFn {
	f := g.fleet
	tenantRes := "/tenants/" + f.tenantID + "/providers/Microsoft.aadiam"
	str := func(get func(*signin) string) colFn {
		return func(r *record) value.Value { return vs(get(r.si)) }
	}
	constant := func(s string) colFn { return func(*record) value.Value { return vs(s) } }
	return map[string]colFn{
		"AADTenantId":                          constant(f.tenantID),
		"HomeTenantId":                         constant(f.tenantID),
		"ResourceTenantId":                     constant(f.tenantID),
		"AlternateSignInName":                  str(func(s *signin) string { return s.upn }),
		"AppDisplayName":                       str(func(s *signin) string { return s.app.Name }),
		"AppId":                                str(func(s *signin) string { return s.app.ID }),
		"AppliedConditionalAccessPolicies":     constant("[]"),
		"AppliedEventListeners":                func(*record) value.Value { return vdyn(nil) },
		"AuthenticationContextClassReferences": constant("[]"),
		"AuthenticationDetails": func(r *record) value.Value {
			return vs(value.FormatJSON(authDetails(r.si, r.t)))
		},
		"AuthenticationMethodsUsed":       constant(""),
		"AuthenticationProcessingDetails": constant(`[{"key":"Legacy TLS (TLS 1.0, 1.1, 3DES)","value":"False"},{"key":"Is CAE Token","value":"False"}]`),
		"AuthenticationProtocol":          str(func(s *signin) string { return s.proto }),
		"AuthenticationRequirement": str(func(s *signin) string {
			if s.mfa {
				return "multiFactorAuthentication"
			}
			return "singleFactorAuthentication"
		}),
		"AuthenticationRequirementPolicies": constant("[]"),
		"AutonomousSystemNumber":            str(func(s *signin) string { return s.loc.ASN }),
		"Category":                          constant("SignInLogs"),
		"ClientAppUsed":                     str(func(s *signin) string { return s.client }),
		"ConditionalAccessPolicies": func(r *record) value.Value {
			res := "notApplied"
			if r.si.mfa {
				res = "success"
			}
			return value.OfDynamic([]any{bag("id", "5f0e4a8b-2d1c-4c53-9a7e-3b6d8c1f0a42",
				"displayName", "Require MFA outside trusted locations", "enforcedGrantControls", []string{"Mfa"}, "result", res)})
		},
		"ConditionalAccessStatus": str(func(s *signin) string { return s.caStatus }),
		"CorrelationId":           str(func(s *signin) string { return s.corr }),
		"CreatedDateTime":         func(r *record) value.Value { return value.OfDatetime(r.t) },
		"CrossTenantAccessType":   constant("none"),
		"DeviceDetail": func(r *record) value.Value {
			s := r.si
			b := bag("deviceId", "", "displayName", "", "operatingSystem", s.os, "browser", s.browser)
			if s.dev != nil {
				b.Set("deviceId", s.dev.aadID)
				b.Set("displayName", s.dev.Name)
				b.Set("isCompliant", true)
				b.Set("isManaged", true)
				b.Set("trustType", "Hybrid Azure AD joined")
			}
			return value.OfDynamic(b)
		},
		"DurationMs":                    func(*record) value.Value { return value.OfLong(0) },
		"FlaggedForReview":              func(*record) value.Value { return value.OfBool(false) },
		"Id":                            func(r *record) value.Value { return vs(r.id) },
		"OriginalRequestId":             func(r *record) value.Value { return vs(r.id) },
		"Identity":                      str(func(s *signin) string { return s.display }),
		"UserDisplayName":               str(func(s *signin) string { return s.display }),
		"IPAddress":                     str(func(s *signin) string { return s.ip }),
		"IPAddressFromResourceProvider": constant(""),
		"IsInteractive":                 func(*record) value.Value { return value.OfBool(true) },
		"IsRisky":                       func(r *record) value.Value { return value.OfBool(r.si.risk != "none") },
		"Level":                         constant("4"),
		"Location":                      str(func(s *signin) string { return s.loc.Country }),
		"LocationDetails": func(r *record) value.Value {
			l := r.si.loc
			return value.OfDynamic(bag("city", l.City, "state", l.State, "countryOrRegion", l.Country,
				"geoCoordinates", bag("latitude", l.Lat, "longitude", l.Lon)))
		},
		"MfaDetail": func(r *record) value.Value {
			if !r.si.mfa || r.si.result != "0" {
				return vdyn(nil)
			}
			return value.OfDynamic(bag("authMethod", "Mobile app notification", "authDetail", ""))
		},
		"NetworkLocationDetails": str(func(s *signin) string {
			if s.ip == officeIP || s.ip == vpnIP {
				return `[{"networkType":"trustedNamedLocation","networkNames":["Harborline offices"]}]`
			}
			return "[]"
		}),
		"OperationName":                constant("Sign-in activity"),
		"OperationVersion":             constant("1.0"),
		"ProcessingTimeInMilliseconds": func(r *record) value.Value { return vs(strconv.Itoa(60 + int(r.seq%170))) },
		"Resource":                     constant("Microsoft.aadiam"),
		"ResourceGroup":                constant("Microsoft.aadiam"),
		"ResourceProvider":             constant("Microsoft.aadiam"),
		"ResourceId":                   constant(tenantRes),
		"_ResourceId":                  constant(asciiLower(tenantRes)),
		"ResourceDisplayName":          str(func(s *signin) string { return s.app.Resource }),
		"ResourceIdentity":             str(func(s *signin) string { return s.app.ResourceID }),
		"ResourceServicePrincipalId":   str(func(s *signin) string { return servicePrincipal(f.tenantID, s.app.ResourceID) }),
		"ResultDescription":            str(func(s *signin) string { return resultText[s.result] }),
		"ResultSignature":              constant("None"),
		"ResultType":                   str(func(s *signin) string { return s.result }),
		"RiskDetail":                   constant("none"),
		"RiskEventTypes":               str(func(s *signin) string { return value.FormatJSON(strSlice(s.riskEvents)) }),
		"RiskEventTypes_V2":            str(func(s *signin) string { return value.FormatJSON(strSlice(s.riskEvents)) }),
		"RiskLevel":                    constant(""),
		"RiskLevelAggregated":          constant("none"),
		"RiskLevelDuringSignIn":        str(func(s *signin) string { return s.risk }),
		"RiskState": str(func(s *signin) string {
			if s.risk != "none" {
				return "atRisk"
			}
			return "none"
		}),
		"ServicePrincipalId":      constant(""),
		"ServicePrincipalName":    constant(""),
		"SessionLifetimePolicies": constant("[]"),
		"SignInIdentifier":        str(func(s *signin) string { return s.upn }),
		"SignInIdentifierType":    constant(""),
		"SourceSystem":            constant("Azure AD"),
		"Status": func(r *record) value.Value {
			s := r.si
			code, _ := strconv.ParseInt(s.result, 10, 64)
			b := bag("errorCode", code)
			if s.result != "0" {
				b.Set("failureReason", resultText[s.result])
			} else if s.mfa {
				b.Set("additionalDetails", "MFA requirement satisfied by claim in the token")
			}
			return value.OfDynamic(b)
		},
		"TokenIssuerName":       constant(""),
		"TokenIssuerType":       constant("AzureAD"),
		"UniqueTokenIdentifier": str(func(s *signin) string { return s.token }),
		"UserAgent":             str(func(s *signin) string { return s.ua }),
		"UserId":                str(func(s *signin) string { return s.userID }),
		"UserPrincipalName":     str(func(s *signin) string { return s.upn }),
		"UserType":              constant("Member"),
	}
}

// authDetails builds the AuthenticationDetails array of a sign-in.
func authDetails(s *signin, at value.Datetime) []any {
	ok := s.result == "0" || s.result == "50074" || s.result == "50076" || s.result == "50140"
	detail := "Correct password"
	if !ok {
		detail = "Invalid username or password or Invalid on-premise username or password."
	}
	steps := []any{bag("authenticationStepDateTime", at.String(), "authenticationMethod", "Password",
		"succeeded", ok, "authenticationStepResultDetail", detail, "authenticationStepRequirement", "Primary authentication")}
	if s.mfa && s.result == "0" {
		steps = append(steps, bag("authenticationStepDateTime", at.String(), "authenticationMethod", "Mobile app notification",
			"succeeded", true, "authenticationStepResultDetail", "MFA completed in Azure AD", "authenticationStepRequirement", "Secondary authentication"))
	}
	return steps
}

// servicePrincipal derives the tenant's stable service principal id of a
// resource application.
func servicePrincipal(tenant, appID string) string {
	d := digestOf(tenant + appID).SHA1
	return d[0:8] + "-" + d[8:12] + "-4" + d[13:16] + "-a" + d[17:20] + "-" + d[20:32]
}

func strSlice(xs []string) []any {
	out := make([]any, len(xs))
	for i, x := range xs {
		out[i] = x
	}
	return out
}
