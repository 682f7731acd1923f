# Offline tests of the account-wide policy: the provider is mocked and the
# check's data source is given images of several regions and projects, so
# no credentials or network are needed. Run with `terraform test` in
# examples/policy/account-wide.
# mock_provider and override_data need Terraform 1.7 or OpenTofu 1.8 or
# later, the provider function in main.tf Terraform 1.8 or OpenTofu 1.7 (CI
# runs Terraform 1.11.4 and 1.15.0, and OpenTofu 1.12.6).

mock_provider "ims" {}

variables {
  organization_id    = "o-wvntq58r3poyv180t5df1mdna4uwy9se"
  allowed_domain_ids = ["3a2d95404f964a6aba78819bf8ddc1e3"]
}

run "every_region_inside_the_organization" {
  command = plan

  override_data {
    target = data.ims_shared_images.account
    values = {
      region     = null
      project_id = null
      images = [
        {
          id         = "4e0a9c2b-8d7f-4a61-b3c5-2f1e0d9c8b7a"
          name       = "edge-proxy"
          region     = "ap-southeast-1"
          project_id = "3c9f0e1d2b4a45c6a7e8f9012b3c4d5e"
          members = [
            {
              member_id   = "3a2d95404f964a6aba78819bf8ddc1e3"
              member_type = "domain"
              status      = "accepted"
              urn         = null
              image_id    = "4e0a9c2b-8d7f-4a61-b3c5-2f1e0d9c8b7a"
              schema      = "/v2/schemas/member"
              created_at  = "2024-05-01T08:00:00Z"
              updated_at  = "2024-05-01T08:05:00Z"
            },
          ]
        },
        {
          id         = "d164b5df-1bc3-4c3f-893e-3e471fd16e64"
          name       = "web-golden"
          region     = "cn-north-4"
          project_id = "1bed856811654c1cb661a6ca845ebc77"
          members = [
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
        },
      ]
    }
  }
}

run "a_sub_project_shares_with_an_unknown_domain" {
  command = plan

  override_data {
    target = data.ims_shared_images.account
    values = {
      region     = null
      project_id = null
      images = [
        {
          id         = "d164b5df-1bc3-4c3f-893e-3e471fd16e64"
          name       = "web-golden"
          region     = "cn-north-4"
          project_id = "1bed856811654c1cb661a6ca845ebc77"
          members    = []
        },
        {
          id         = "7b1c2d3e-4f50-4a6b-8c7d-9e0f1a2b3c4d"
          name       = "etl-runner"
          region     = "cn-north-4"
          project_id = "2c4e6a8b0d1f43a5b7c9e1f3a5c7e9b1"
          members = [
            {
              member_id   = "9f8e7d6c5b4a49382716a5b4c3d2e1f0"
              member_type = "domain"
              status      = "pending"
              urn         = null
              image_id    = "7b1c2d3e-4f50-4a6b-8c7d-9e0f1a2b3c4d"
              schema      = "/v2/schemas/member"
              created_at  = "2024-04-10T09:30:00Z"
              updated_at  = "2024-04-10T09:30:00Z"
            },
          ]
        },
      ]
    }
  }

  # The check fails: that is what this case is about.
  expect_failures = [
    check.no_image_of_the_account_leaves_our_organization,
  ]
}

run "another_region_shares_with_another_organization" {
  command = plan

  override_data {
    target = data.ims_shared_images.account
    values = {
      region     = null
      project_id = null
      images = [
        {
          id         = "4e0a9c2b-8d7f-4a61-b3c5-2f1e0d9c8b7a"
          name       = null
          region     = "la-south-2"
          project_id = "8a7b6c5d4e3f40a1b2c3d4e5f6a7b8c9"
          members = [
            {
              member_id   = "ou-0000outsider00000000000000000000"
              member_type = "organization"
              status      = "accepted"
              urn         = "organizations::9f8e7d6c5b4a49382716a5b4c3d2e1f0:ou:o-outsider/ou-0000outsider00000000000000000000"
              image_id    = "4e0a9c2b-8d7f-4a61-b3c5-2f1e0d9c8b7a"
              schema      = "/v2/schemas/member"
              created_at  = "2024-04-11T09:30:00Z"
              updated_at  = "2024-04-11T09:30:00Z"
            },
          ]
        },
      ]
    }
  }

  expect_failures = [
    check.no_image_of_the_account_leaves_our_organization,
  ]
}
