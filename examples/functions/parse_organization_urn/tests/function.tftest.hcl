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

# A project or domain member has urn = null: null in, null out (OpenTofu
# sends a null argument as no value at all; the provider fills it in). An
# assertion must refer to the configuration, hence the null taken from the
# output's absent key.
run "null_gives_null" {
  command = plan

  assert {
    condition     = provider::ims::parse_organization_urn(lookup(output.organization, "missing", null)) == null
    error_message = "parse_organization_urn(null) is not null."
  }
}
