-- Argo CD health check for flowfleet.io/FlowPlatform: the value of
-- resource.customizations.health.flowfleet.io_FlowPlatform in argocd-cm (docs/deploy.md, "GitOps").
-- Reads the conditions the operator writes (docs/operator.md, "Status"). A normal rollout is
-- Ready=False with Reconciling=True, so Ready alone must not decide Degraded.
local hs = {}

local function condition(conditionType)
  if obj.status == nil or obj.status.conditions == nil then
    return nil
  end
  for _, c in ipairs(obj.status.conditions) do
    if c.type == conditionType then
      return c
    end
  end
  return nil
end

local function describe(c)
  if c.message ~= nil and c.message ~= "" then
    return c.reason .. ": " .. c.message
  end
  return c.reason
end

-- Paused by annotation: the operator changes nothing until it is removed.
if obj.metadata ~= nil and obj.metadata.annotations ~= nil
    and obj.metadata.annotations["flowfleet.io/paused"] == "true" then
  hs.status = "Suspended"
  hs.message = "paused by the annotation flowfleet.io/paused"
  return hs
end

local ready = condition("Ready")
if ready == nil then
  hs.status = "Progressing"
  hs.message = "waiting for the operator to report a status"
  return hs
end
if ready.reason == "Paused" then
  hs.status = "Suspended"
  hs.message = describe(ready)
  return hs
end

-- A spec the operator has not looked at yet: whatever the conditions say is about an older one.
local generation = obj.metadata ~= nil and obj.metadata.generation or nil
local observed = obj.status.observedGeneration
if generation ~= nil and (observed == nil or observed < generation) then
  hs.status = "Progressing"
  hs.message = "waiting for the operator to observe generation " .. generation
  return hs
end

local stalled = condition("Stalled")
if stalled ~= nil and stalled.status == "True" then
  hs.status = "Degraded"
  hs.message = describe(stalled)
  return hs
end

local reconciling = condition("Reconciling")
if reconciling ~= nil and reconciling.status == "True" then
  hs.status = "Progressing"
  hs.message = describe(reconciling)
  return hs
end

if ready.status == "True" then
  hs.status = "Healthy"
  hs.message = ready.message
  return hs
end

hs.status = "Progressing"
hs.message = describe(ready)
return hs
