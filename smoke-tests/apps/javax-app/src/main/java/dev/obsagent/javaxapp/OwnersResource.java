package dev.obsagent.javaxapp;

import javax.ws.rs.GET;
import javax.ws.rs.Path;
import javax.ws.rs.PathParam;
import javax.ws.rs.Produces;
import javax.ws.rs.core.MediaType;

/**
 * A JAX-RS resource on Jersey 2, under the Jersey servlet's {@code /rest/*} mapping: its routes
 * are {@code /rest/owners/{ownerId}} and, through a sub-resource locator,
 * {@code /rest/owners/{ownerId}/pets/{petId}}.
 */
@Path("owners")
@Produces(MediaType.TEXT_PLAIN)
public class OwnersResource {

  @GET
  @Path("{ownerId}")
  public String owner(@PathParam("ownerId") String ownerId) {
    return "owner " + ownerId + "\n";
  }

  @Path("{ownerId}/pets")
  public PetsResource pets(@PathParam("ownerId") String ownerId) {
    return new PetsResource(ownerId);
  }

  /** What the locator returns: Jersey continues matching in here. */
  public static class PetsResource {
    private final String ownerId;

    PetsResource(String ownerId) {
      this.ownerId = ownerId;
    }

    @GET
    @Path("{petId}")
    public String pet(@PathParam("petId") String petId) {
      return "pet " + petId + " of owner " + ownerId + "\n";
    }
  }
}
