# Offline tests of the check-block policy: the provider is mocked and each
# run supplies the members the image is shared with, so no credentials or
# network are needed. Run with `terraform test` in examples/policy.
# mock_provider and override_data need Terraform 1.7 or OpenTofu 1.8 or later
# (CI runs Terraform 1.11.4 and 1.15.0, and OpenTofu 1.12.6).

mock_provider "ims" {}

variables {
  image_id                  = "d164b5df-1bc3-4c3f-893e-3e471fd16e64"
  allowed_domain_ids        = ["3a2d95404f964a6aba78819bf8ddc1e3"]
  allowed_organization_urns = ["organizations::3a2d95404f964a6aba78819bf8ddc1e3:ou:o-wvntq58r3poyv180t5df1mdna4uwy9se/ou-5x1bvygwrplokk622i9gbn3f5ftfb2l9"]
}

run "shared_inside_allow_list" {
  command = plan

  override_data {
    target = data.ims_image_members.image
    values = {
      members = [
        {
          member_id   = "1bed856811654c1cb661a6ca845ebc77"
          member_type = "project"
          status      = "accepted"
          urn         = null
          image_id    = "d164b5df-1bc3-4c3f-893e-3e471fd16e64"
          schema      = "/v2/schemas/member"
          created_at  = "2024-03-01T08:00:00Z"
          updated_at  = "2024-03-01T08:05:00Z"
        },
        {
          member_id   = "3a2d95404f964a6aba78819bf8ddc1e3"
          member_type = "domain"
          status      = "pending"
          urn         = null
          image_id    = "d164b5df-1bc3-4c3f-893e-3e471fd16e64"
          schema      = "/v2/schemas/member"
          created_at  = "2024-03-02T08:00:00Z"
          updated_at  = "2024-03-02T08:00:00Z"
        },
        {
          member_id   = "ou-5x1bvygwrplokk622i9gbn3f5ftfb2l9"
          member_type = "organization"
          status      = "accepted"
          urn         = "organizations::3a2d95404f964a6aba78819bf8ddc1e3:ou:o-wvntq58r3poyv180t5df1mdna4uwy9se/ou-5x1bvygwrplokk622i9gbn3f5ftfb2l9"
          image_id    = "d164b5df-1bc3-4c3f-893e-3e471fd16e64"
          schema      = "/v2/schemas/member"
          created_at  = "2023-08-23T04:07:52Z"
          updated_at  = "2023-08-23T04:07:52Z"
        },
      ]
    }
  }

  assert {
    condition     = length(output.violations) == 0
    error_message = "An image shared only with allowed members must have no violations."
  }
}

run "shared_with_unknown_domain_and_organization" {
  command = plan

  override_data {
    target = data.ims_image_members.image
    values = {
      members = [
        {
          member_id   = "3a2d95404f964a6aba78819bf8ddc1e3"
          member_type = "domain"
          status      = "accepted"
          urn         = null
          image_id    = "d164b5df-1bc3-4c3f-893e-3e471fd16e64"
          schema      = "/v2/schemas/member"
          created_at  = "2024-03-02T08:00:00Z"
          updated_at  = "2024-03-02T08:00:00Z"
        },
        {
          member_id   = "9f8e7d6c5b4a49382716a5b4c3d2e1f0"
          member_type = "domain"
          status      = "pending"
          urn         = null
          image_id    = "d164b5df-1bc3-4c3f-893e-3e471fd16e64"
          schema      = "/v2/schemas/member"
          created_at  = "2024-04-10T09:30:00Z"
          updated_at  = "2024-04-10T09:30:00Z"
        },
        {
          member_id   = "ou-0000outsider00000000000000000000"
          member_type = "organization"
          status      = "accepted"
          urn         = "organizations::9f8e7d6c5b4a49382716a5b4c3d2e1f0:ou:o-outsider/ou-0000outsider00000000000000000000"
          image_id    = "d164b5df-1bc3-4c3f-893e-3e471fd16e64"
          schema      = "/v2/schemas/member"
          created_at  = "2024-04-11T09:30:00Z"
          updated_at  = "2024-04-11T09:30:00Z"
        },
      ]
    }
  }

  # The check block fails: that is what this case is about.
  expect_failures = [
    check.image_sharing_allow_list,
  ]

  assert {
    condition     = length(output.violations) == 2
    error_message = "The unknown domain and the unknown organization must both be reported."
  }

  assert {
    condition     = toset(output.violations[*].member_type) == toset(["domain", "organization"])
    error_message = "Violations must name their member types."
  }
}
