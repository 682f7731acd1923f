# The function under `terraform test` and `tofu test` alike, with no
# provider block and no credentials: the function needs neither. Run it in
# this directory (with the local build of the README's "Installing from a
# local build"): terraform.tf names cloudimages/ims.

run "splits_the_urn" {
  command = plan

  assert {
    condition = output.organization == {
      account_id      = "3a2d95404f964a6aba78819bf8ddc1e3"
      resource_type   = "ou"
      organization_id = "o-wvntq58r3poyv180t5df1mdna4uwy9se"
      resource_id     = "ou-5x1bvygwrplokk622i9gbn3f5ftfb2l9"
    }
    error_message = "parse_organization_urn gave ${jsonencode(output.organization)}."
  }
}

# A project or domain member has urn = null: null in, an object of nulls
# out, so `.organization_id` of it is null rather than an error (OpenTofu
# sends a null argument as no value at all; the provider fills it in). The
# call is the module's output from_null, not made in the assertion:
# OpenTofu 1.12's `tofu test` crashes on a provider function called in an
# assert condition (it evaluates assertions without providers).
run "null_gives_nulls" {
  command = plan

  assert {
    condition     = output.from_null != null && output.from_null.organization_id == null && output.from_null.account_id == null && output.from_null.resource_type == null && output.from_null.resource_id == null
    error_message = "parse_organization_urn(null) is not an object of four nulls."
  }
}
