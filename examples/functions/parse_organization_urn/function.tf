# The parts of an organization URN as IMS returns it in a member's urn.
output "organization" {
  value = provider::ims::parse_organization_urn(
    "organizations::3a2d95404f964a6aba78819bf8ddc1e3:ou:o-wvntq58r3poyv180t5df1mdna4uwy9se/ou-5x1bvygwrplokk622i9gbn3f5ftfb2l9"
  )
  # {
  #   account_id      = "3a2d95404f964a6aba78819bf8ddc1e3"
  #   resource_type   = "ou"
  #   organization_id = "o-wvntq58r3poyv180t5df1mdna4uwy9se"
  #   resource_id     = "ou-5x1bvygwrplokk622i9gbn3f5ftfb2l9"
  # }
}

# A project or domain member's urn is null, and so is what the function
# gives for it: members[*].urn can be mapped without a condition.
output "from_null" {
  value = provider::ims::parse_organization_urn(null)
}
