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

# A project or domain member's urn is null, and the function gives an
# object whose four attributes are null for it, so
# `m.member_type == "organization" && ...organization_id == "o-..."` is
# simply false for those members, even where both sides of && are evaluated.
output "from_null" {
  value = provider::ims::parse_organization_urn(null)
}
