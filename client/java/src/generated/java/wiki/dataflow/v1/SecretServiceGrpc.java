package wiki.dataflow.v1;

import static io.grpc.MethodDescriptor.generateFullMethodName;

/**
 * <pre>
 * Stores a tenant's secrets, which task inputs reference as
 * `{{secrets.NAME}}`. Values are write-only: no call ever returns one; they
 * are encrypted at rest and resolved only inside a running task.
 * </pre>
 */
@io.grpc.stub.annotations.GrpcGenerated
public final class SecretServiceGrpc {

  private SecretServiceGrpc() {}

  public static final java.lang.String SERVICE_NAME = "dataflow.v1.SecretService";

  // Static method descriptors that strictly reflect the proto.
  private static volatile io.grpc.MethodDescriptor<wiki.dataflow.v1.SetSecretRequest,
      wiki.dataflow.v1.SetSecretResponse> getSetSecretMethod;

  @io.grpc.stub.annotations.RpcMethod(
      fullMethodName = SERVICE_NAME + '/' + "SetSecret",
      requestType = wiki.dataflow.v1.SetSecretRequest.class,
      responseType = wiki.dataflow.v1.SetSecretResponse.class,
      methodType = io.grpc.MethodDescriptor.MethodType.UNARY)
  public static io.grpc.MethodDescriptor<wiki.dataflow.v1.SetSecretRequest,
      wiki.dataflow.v1.SetSecretResponse> getSetSecretMethod() {
    io.grpc.MethodDescriptor<wiki.dataflow.v1.SetSecretRequest, wiki.dataflow.v1.SetSecretResponse> getSetSecretMethod;
    if ((getSetSecretMethod = SecretServiceGrpc.getSetSecretMethod) == null) {
      synchronized (SecretServiceGrpc.class) {
        if ((getSetSecretMethod = SecretServiceGrpc.getSetSecretMethod) == null) {
          SecretServiceGrpc.getSetSecretMethod = getSetSecretMethod =
              io.grpc.MethodDescriptor.<wiki.dataflow.v1.SetSecretRequest, wiki.dataflow.v1.SetSecretResponse>newBuilder()
              .setType(io.grpc.MethodDescriptor.MethodType.UNARY)
              .setFullMethodName(generateFullMethodName(SERVICE_NAME, "SetSecret"))
              .setSampledToLocalTracing(true)
              .setRequestMarshaller(io.grpc.protobuf.ProtoUtils.marshaller(
                  wiki.dataflow.v1.SetSecretRequest.getDefaultInstance()))
              .setResponseMarshaller(io.grpc.protobuf.ProtoUtils.marshaller(
                  wiki.dataflow.v1.SetSecretResponse.getDefaultInstance()))
              .setSchemaDescriptor(new SecretServiceMethodDescriptorSupplier("SetSecret"))
              .build();
        }
      }
    }
    return getSetSecretMethod;
  }

  private static volatile io.grpc.MethodDescriptor<wiki.dataflow.v1.ListSecretsRequest,
      wiki.dataflow.v1.ListSecretsResponse> getListSecretsMethod;

  @io.grpc.stub.annotations.RpcMethod(
      fullMethodName = SERVICE_NAME + '/' + "ListSecrets",
      requestType = wiki.dataflow.v1.ListSecretsRequest.class,
      responseType = wiki.dataflow.v1.ListSecretsResponse.class,
      methodType = io.grpc.MethodDescriptor.MethodType.UNARY)
  public static io.grpc.MethodDescriptor<wiki.dataflow.v1.ListSecretsRequest,
      wiki.dataflow.v1.ListSecretsResponse> getListSecretsMethod() {
    io.grpc.MethodDescriptor<wiki.dataflow.v1.ListSecretsRequest, wiki.dataflow.v1.ListSecretsResponse> getListSecretsMethod;
    if ((getListSecretsMethod = SecretServiceGrpc.getListSecretsMethod) == null) {
      synchronized (SecretServiceGrpc.class) {
        if ((getListSecretsMethod = SecretServiceGrpc.getListSecretsMethod) == null) {
          SecretServiceGrpc.getListSecretsMethod = getListSecretsMethod =
              io.grpc.MethodDescriptor.<wiki.dataflow.v1.ListSecretsRequest, wiki.dataflow.v1.ListSecretsResponse>newBuilder()
              .setType(io.grpc.MethodDescriptor.MethodType.UNARY)
              .setFullMethodName(generateFullMethodName(SERVICE_NAME, "ListSecrets"))
              .setSampledToLocalTracing(true)
              .setRequestMarshaller(io.grpc.protobuf.ProtoUtils.marshaller(
                  wiki.dataflow.v1.ListSecretsRequest.getDefaultInstance()))
              .setResponseMarshaller(io.grpc.protobuf.ProtoUtils.marshaller(
                  wiki.dataflow.v1.ListSecretsResponse.getDefaultInstance()))
              .setSchemaDescriptor(new SecretServiceMethodDescriptorSupplier("ListSecrets"))
              .build();
        }
      }
    }
    return getListSecretsMethod;
  }

  private static volatile io.grpc.MethodDescriptor<wiki.dataflow.v1.DeleteSecretRequest,
      wiki.dataflow.v1.DeleteSecretResponse> getDeleteSecretMethod;

  @io.grpc.stub.annotations.RpcMethod(
      fullMethodName = SERVICE_NAME + '/' + "DeleteSecret",
      requestType = wiki.dataflow.v1.DeleteSecretRequest.class,
      responseType = wiki.dataflow.v1.DeleteSecretResponse.class,
      methodType = io.grpc.MethodDescriptor.MethodType.UNARY)
  public static io.grpc.MethodDescriptor<wiki.dataflow.v1.DeleteSecretRequest,
      wiki.dataflow.v1.DeleteSecretResponse> getDeleteSecretMethod() {
    io.grpc.MethodDescriptor<wiki.dataflow.v1.DeleteSecretRequest, wiki.dataflow.v1.DeleteSecretResponse> getDeleteSecretMethod;
    if ((getDeleteSecretMethod = SecretServiceGrpc.getDeleteSecretMethod) == null) {
      synchronized (SecretServiceGrpc.class) {
        if ((getDeleteSecretMethod = SecretServiceGrpc.getDeleteSecretMethod) == null) {
          SecretServiceGrpc.getDeleteSecretMethod = getDeleteSecretMethod =
              io.grpc.MethodDescriptor.<wiki.dataflow.v1.DeleteSecretRequest, wiki.dataflow.v1.DeleteSecretResponse>newBuilder()
              .setType(io.grpc.MethodDescriptor.MethodType.UNARY)
              .setFullMethodName(generateFullMethodName(SERVICE_NAME, "DeleteSecret"))
              .setSampledToLocalTracing(true)
              .setRequestMarshaller(io.grpc.protobuf.ProtoUtils.marshaller(
                  wiki.dataflow.v1.DeleteSecretRequest.getDefaultInstance()))
              .setResponseMarshaller(io.grpc.protobuf.ProtoUtils.marshaller(
                  wiki.dataflow.v1.DeleteSecretResponse.getDefaultInstance()))
              .setSchemaDescriptor(new SecretServiceMethodDescriptorSupplier("DeleteSecret"))
              .build();
        }
      }
    }
    return getDeleteSecretMethod;
  }

  /**
   * Creates a new async stub that supports all call types for the service
   */
  public static SecretServiceStub newStub(io.grpc.Channel channel) {
    io.grpc.stub.AbstractStub.StubFactory<SecretServiceStub> factory =
      new io.grpc.stub.AbstractStub.StubFactory<SecretServiceStub>() {
        @java.lang.Override
        public SecretServiceStub newStub(io.grpc.Channel channel, io.grpc.CallOptions callOptions) {
          return new SecretServiceStub(channel, callOptions);
        }
      };
    return SecretServiceStub.newStub(factory, channel);
  }

  /**
   * Creates a new blocking-style stub that supports all types of calls on the service
   */
  public static SecretServiceBlockingV2Stub newBlockingV2Stub(
      io.grpc.Channel channel) {
    io.grpc.stub.AbstractStub.StubFactory<SecretServiceBlockingV2Stub> factory =
      new io.grpc.stub.AbstractStub.StubFactory<SecretServiceBlockingV2Stub>() {
        @java.lang.Override
        public SecretServiceBlockingV2Stub newStub(io.grpc.Channel channel, io.grpc.CallOptions callOptions) {
          return new SecretServiceBlockingV2Stub(channel, callOptions);
        }
      };
    return SecretServiceBlockingV2Stub.newStub(factory, channel);
  }

  /**
   * Creates a new blocking-style stub that supports unary and streaming output calls on the service
   */
  public static SecretServiceBlockingStub newBlockingStub(
      io.grpc.Channel channel) {
    io.grpc.stub.AbstractStub.StubFactory<SecretServiceBlockingStub> factory =
      new io.grpc.stub.AbstractStub.StubFactory<SecretServiceBlockingStub>() {
        @java.lang.Override
        public SecretServiceBlockingStub newStub(io.grpc.Channel channel, io.grpc.CallOptions callOptions) {
          return new SecretServiceBlockingStub(channel, callOptions);
        }
      };
    return SecretServiceBlockingStub.newStub(factory, channel);
  }

  /**
   * Creates a new ListenableFuture-style stub that supports unary calls on the service
   */
  public static SecretServiceFutureStub newFutureStub(
      io.grpc.Channel channel) {
    io.grpc.stub.AbstractStub.StubFactory<SecretServiceFutureStub> factory =
      new io.grpc.stub.AbstractStub.StubFactory<SecretServiceFutureStub>() {
        @java.lang.Override
        public SecretServiceFutureStub newStub(io.grpc.Channel channel, io.grpc.CallOptions callOptions) {
          return new SecretServiceFutureStub(channel, callOptions);
        }
      };
    return SecretServiceFutureStub.newStub(factory, channel);
  }

  /**
   * <pre>
   * Stores a tenant's secrets, which task inputs reference as
   * `{{secrets.NAME}}`. Values are write-only: no call ever returns one; they
   * are encrypted at rest and resolved only inside a running task.
   * </pre>
   */
  public interface AsyncService {

    /**
     * <pre>
     * Creates the secret, or replaces its value when the name exists.
     * </pre>
     */
    default void setSecret(wiki.dataflow.v1.SetSecretRequest request,
        io.grpc.stub.StreamObserver<wiki.dataflow.v1.SetSecretResponse> responseObserver) {
      io.grpc.stub.ServerCalls.asyncUnimplementedUnaryCall(getSetSecretMethod(), responseObserver);
    }

    /**
     * <pre>
     * Lists the tenant's secrets by name: names and times, never values. A
     * read scope suffices: names are no more secret than the definitions
     * that reference them.
     * </pre>
     */
    default void listSecrets(wiki.dataflow.v1.ListSecretsRequest request,
        io.grpc.stub.StreamObserver<wiki.dataflow.v1.ListSecretsResponse> responseObserver) {
      io.grpc.stub.ServerCalls.asyncUnimplementedUnaryCall(getListSecretsMethod(), responseObserver);
    }

    /**
     * <pre>
     * Deletes a secret (NOT_FOUND when there is none). Workflows that
     * reference it can no longer be executed until it is set again.
     * </pre>
     */
    default void deleteSecret(wiki.dataflow.v1.DeleteSecretRequest request,
        io.grpc.stub.StreamObserver<wiki.dataflow.v1.DeleteSecretResponse> responseObserver) {
      io.grpc.stub.ServerCalls.asyncUnimplementedUnaryCall(getDeleteSecretMethod(), responseObserver);
    }
  }

  /**
   * Base class for the server implementation of the service SecretService.
   * <pre>
   * Stores a tenant's secrets, which task inputs reference as
   * `{{secrets.NAME}}`. Values are write-only: no call ever returns one; they
   * are encrypted at rest and resolved only inside a running task.
   * </pre>
   */
  public static abstract class SecretServiceImplBase
      implements io.grpc.BindableService, AsyncService {

    @java.lang.Override public final io.grpc.ServerServiceDefinition bindService() {
      return SecretServiceGrpc.bindService(this);
    }
  }

  /**
   * A stub to allow clients to do asynchronous rpc calls to service SecretService.
   * <pre>
   * Stores a tenant's secrets, which task inputs reference as
   * `{{secrets.NAME}}`. Values are write-only: no call ever returns one; they
   * are encrypted at rest and resolved only inside a running task.
   * </pre>
   */
  public static final class SecretServiceStub
      extends io.grpc.stub.AbstractAsyncStub<SecretServiceStub> {
    private SecretServiceStub(
        io.grpc.Channel channel, io.grpc.CallOptions callOptions) {
      super(channel, callOptions);
    }

    @java.lang.Override
    protected SecretServiceStub build(
        io.grpc.Channel channel, io.grpc.CallOptions callOptions) {
      return new SecretServiceStub(channel, callOptions);
    }

    /**
     * <pre>
     * Creates the secret, or replaces its value when the name exists.
     * </pre>
     */
    public void setSecret(wiki.dataflow.v1.SetSecretRequest request,
        io.grpc.stub.StreamObserver<wiki.dataflow.v1.SetSecretResponse> responseObserver) {
      io.grpc.stub.ClientCalls.asyncUnaryCall(
          getChannel().newCall(getSetSecretMethod(), getCallOptions()), request, responseObserver);
    }

    /**
     * <pre>
     * Lists the tenant's secrets by name: names and times, never values. A
     * read scope suffices: names are no more secret than the definitions
     * that reference them.
     * </pre>
     */
    public void listSecrets(wiki.dataflow.v1.ListSecretsRequest request,
        io.grpc.stub.StreamObserver<wiki.dataflow.v1.ListSecretsResponse> responseObserver) {
      io.grpc.stub.ClientCalls.asyncUnaryCall(
          getChannel().newCall(getListSecretsMethod(), getCallOptions()), request, responseObserver);
    }

    /**
     * <pre>
     * Deletes a secret (NOT_FOUND when there is none). Workflows that
     * reference it can no longer be executed until it is set again.
     * </pre>
     */
    public void deleteSecret(wiki.dataflow.v1.DeleteSecretRequest request,
        io.grpc.stub.StreamObserver<wiki.dataflow.v1.DeleteSecretResponse> responseObserver) {
      io.grpc.stub.ClientCalls.asyncUnaryCall(
          getChannel().newCall(getDeleteSecretMethod(), getCallOptions()), request, responseObserver);
    }
  }

  /**
   * A stub to allow clients to do synchronous rpc calls to service SecretService.
   * <pre>
   * Stores a tenant's secrets, which task inputs reference as
   * `{{secrets.NAME}}`. Values are write-only: no call ever returns one; they
   * are encrypted at rest and resolved only inside a running task.
   * </pre>
   */
  public static final class SecretServiceBlockingV2Stub
      extends io.grpc.stub.AbstractBlockingStub<SecretServiceBlockingV2Stub> {
    private SecretServiceBlockingV2Stub(
        io.grpc.Channel channel, io.grpc.CallOptions callOptions) {
      super(channel, callOptions);
    }

    @java.lang.Override
    protected SecretServiceBlockingV2Stub build(
        io.grpc.Channel channel, io.grpc.CallOptions callOptions) {
      return new SecretServiceBlockingV2Stub(channel, callOptions);
    }

    /**
     * <pre>
     * Creates the secret, or replaces its value when the name exists.
     * </pre>
     */
    public wiki.dataflow.v1.SetSecretResponse setSecret(wiki.dataflow.v1.SetSecretRequest request) throws io.grpc.StatusException {
      return io.grpc.stub.ClientCalls.blockingV2UnaryCall(
          getChannel(), getSetSecretMethod(), getCallOptions(), request);
    }

    /**
     * <pre>
     * Lists the tenant's secrets by name: names and times, never values. A
     * read scope suffices: names are no more secret than the definitions
     * that reference them.
     * </pre>
     */
    public wiki.dataflow.v1.ListSecretsResponse listSecrets(wiki.dataflow.v1.ListSecretsRequest request) throws io.grpc.StatusException {
      return io.grpc.stub.ClientCalls.blockingV2UnaryCall(
          getChannel(), getListSecretsMethod(), getCallOptions(), request);
    }

    /**
     * <pre>
     * Deletes a secret (NOT_FOUND when there is none). Workflows that
     * reference it can no longer be executed until it is set again.
     * </pre>
     */
    public wiki.dataflow.v1.DeleteSecretResponse deleteSecret(wiki.dataflow.v1.DeleteSecretRequest request) throws io.grpc.StatusException {
      return io.grpc.stub.ClientCalls.blockingV2UnaryCall(
          getChannel(), getDeleteSecretMethod(), getCallOptions(), request);
    }
  }

  /**
   * A stub to allow clients to do limited synchronous rpc calls to service SecretService.
   * <pre>
   * Stores a tenant's secrets, which task inputs reference as
   * `{{secrets.NAME}}`. Values are write-only: no call ever returns one; they
   * are encrypted at rest and resolved only inside a running task.
   * </pre>
   */
  public static final class SecretServiceBlockingStub
      extends io.grpc.stub.AbstractBlockingStub<SecretServiceBlockingStub> {
    private SecretServiceBlockingStub(
        io.grpc.Channel channel, io.grpc.CallOptions callOptions) {
      super(channel, callOptions);
    }

    @java.lang.Override
    protected SecretServiceBlockingStub build(
        io.grpc.Channel channel, io.grpc.CallOptions callOptions) {
      return new SecretServiceBlockingStub(channel, callOptions);
    }

    /**
     * <pre>
     * Creates the secret, or replaces its value when the name exists.
     * </pre>
     */
    public wiki.dataflow.v1.SetSecretResponse setSecret(wiki.dataflow.v1.SetSecretRequest request) {
      return io.grpc.stub.ClientCalls.blockingUnaryCall(
          getChannel(), getSetSecretMethod(), getCallOptions(), request);
    }

    /**
     * <pre>
     * Lists the tenant's secrets by name: names and times, never values. A
     * read scope suffices: names are no more secret than the definitions
     * that reference them.
     * </pre>
     */
    public wiki.dataflow.v1.ListSecretsResponse listSecrets(wiki.dataflow.v1.ListSecretsRequest request) {
      return io.grpc.stub.ClientCalls.blockingUnaryCall(
          getChannel(), getListSecretsMethod(), getCallOptions(), request);
    }

    /**
     * <pre>
     * Deletes a secret (NOT_FOUND when there is none). Workflows that
     * reference it can no longer be executed until it is set again.
     * </pre>
     */
    public wiki.dataflow.v1.DeleteSecretResponse deleteSecret(wiki.dataflow.v1.DeleteSecretRequest request) {
      return io.grpc.stub.ClientCalls.blockingUnaryCall(
          getChannel(), getDeleteSecretMethod(), getCallOptions(), request);
    }
  }

  /**
   * A stub to allow clients to do ListenableFuture-style rpc calls to service SecretService.
   * <pre>
   * Stores a tenant's secrets, which task inputs reference as
   * `{{secrets.NAME}}`. Values are write-only: no call ever returns one; they
   * are encrypted at rest and resolved only inside a running task.
   * </pre>
   */
  public static final class SecretServiceFutureStub
      extends io.grpc.stub.AbstractFutureStub<SecretServiceFutureStub> {
    private SecretServiceFutureStub(
        io.grpc.Channel channel, io.grpc.CallOptions callOptions) {
      super(channel, callOptions);
    }

    @java.lang.Override
    protected SecretServiceFutureStub build(
        io.grpc.Channel channel, io.grpc.CallOptions callOptions) {
      return new SecretServiceFutureStub(channel, callOptions);
    }

    /**
     * <pre>
     * Creates the secret, or replaces its value when the name exists.
     * </pre>
     */
    public com.google.common.util.concurrent.ListenableFuture<wiki.dataflow.v1.SetSecretResponse> setSecret(
        wiki.dataflow.v1.SetSecretRequest request) {
      return io.grpc.stub.ClientCalls.futureUnaryCall(
          getChannel().newCall(getSetSecretMethod(), getCallOptions()), request);
    }

    /**
     * <pre>
     * Lists the tenant's secrets by name: names and times, never values. A
     * read scope suffices: names are no more secret than the definitions
     * that reference them.
     * </pre>
     */
    public com.google.common.util.concurrent.ListenableFuture<wiki.dataflow.v1.ListSecretsResponse> listSecrets(
        wiki.dataflow.v1.ListSecretsRequest request) {
      return io.grpc.stub.ClientCalls.futureUnaryCall(
          getChannel().newCall(getListSecretsMethod(), getCallOptions()), request);
    }

    /**
     * <pre>
     * Deletes a secret (NOT_FOUND when there is none). Workflows that
     * reference it can no longer be executed until it is set again.
     * </pre>
     */
    public com.google.common.util.concurrent.ListenableFuture<wiki.dataflow.v1.DeleteSecretResponse> deleteSecret(
        wiki.dataflow.v1.DeleteSecretRequest request) {
      return io.grpc.stub.ClientCalls.futureUnaryCall(
          getChannel().newCall(getDeleteSecretMethod(), getCallOptions()), request);
    }
  }

  private static final int METHODID_SET_SECRET = 0;
  private static final int METHODID_LIST_SECRETS = 1;
  private static final int METHODID_DELETE_SECRET = 2;

  private static final class MethodHandlers<Req, Resp> implements
      io.grpc.stub.ServerCalls.UnaryMethod<Req, Resp>,
      io.grpc.stub.ServerCalls.ServerStreamingMethod<Req, Resp>,
      io.grpc.stub.ServerCalls.ClientStreamingMethod<Req, Resp>,
      io.grpc.stub.ServerCalls.BidiStreamingMethod<Req, Resp> {
    private final AsyncService serviceImpl;
    private final int methodId;

    MethodHandlers(AsyncService serviceImpl, int methodId) {
      this.serviceImpl = serviceImpl;
      this.methodId = methodId;
    }

    @java.lang.Override
    @java.lang.SuppressWarnings("unchecked")
    public void invoke(Req request, io.grpc.stub.StreamObserver<Resp> responseObserver) {
      switch (methodId) {
        case METHODID_SET_SECRET:
          serviceImpl.setSecret((wiki.dataflow.v1.SetSecretRequest) request,
              (io.grpc.stub.StreamObserver<wiki.dataflow.v1.SetSecretResponse>) responseObserver);
          break;
        case METHODID_LIST_SECRETS:
          serviceImpl.listSecrets((wiki.dataflow.v1.ListSecretsRequest) request,
              (io.grpc.stub.StreamObserver<wiki.dataflow.v1.ListSecretsResponse>) responseObserver);
          break;
        case METHODID_DELETE_SECRET:
          serviceImpl.deleteSecret((wiki.dataflow.v1.DeleteSecretRequest) request,
              (io.grpc.stub.StreamObserver<wiki.dataflow.v1.DeleteSecretResponse>) responseObserver);
          break;
        default:
          throw new AssertionError();
      }
    }

    @java.lang.Override
    @java.lang.SuppressWarnings("unchecked")
    public io.grpc.stub.StreamObserver<Req> invoke(
        io.grpc.stub.StreamObserver<Resp> responseObserver) {
      switch (methodId) {
        default:
          throw new AssertionError();
      }
    }
  }

  public static final io.grpc.ServerServiceDefinition bindService(AsyncService service) {
    return io.grpc.ServerServiceDefinition.builder(getServiceDescriptor())
        .addMethod(
          getSetSecretMethod(),
          io.grpc.stub.ServerCalls.asyncUnaryCall(
            new MethodHandlers<
              wiki.dataflow.v1.SetSecretRequest,
              wiki.dataflow.v1.SetSecretResponse>(
                service, METHODID_SET_SECRET)))
        .addMethod(
          getListSecretsMethod(),
          io.grpc.stub.ServerCalls.asyncUnaryCall(
            new MethodHandlers<
              wiki.dataflow.v1.ListSecretsRequest,
              wiki.dataflow.v1.ListSecretsResponse>(
                service, METHODID_LIST_SECRETS)))
        .addMethod(
          getDeleteSecretMethod(),
          io.grpc.stub.ServerCalls.asyncUnaryCall(
            new MethodHandlers<
              wiki.dataflow.v1.DeleteSecretRequest,
              wiki.dataflow.v1.DeleteSecretResponse>(
                service, METHODID_DELETE_SECRET)))
        .build();
  }

  private static abstract class SecretServiceBaseDescriptorSupplier
      implements io.grpc.protobuf.ProtoFileDescriptorSupplier, io.grpc.protobuf.ProtoServiceDescriptorSupplier {
    SecretServiceBaseDescriptorSupplier() {}

    @java.lang.Override
    public com.google.protobuf.Descriptors.FileDescriptor getFileDescriptor() {
      return wiki.dataflow.v1.SecretServiceProto.getDescriptor();
    }

    @java.lang.Override
    public com.google.protobuf.Descriptors.ServiceDescriptor getServiceDescriptor() {
      return getFileDescriptor().findServiceByName("SecretService");
    }
  }

  private static final class SecretServiceFileDescriptorSupplier
      extends SecretServiceBaseDescriptorSupplier {
    SecretServiceFileDescriptorSupplier() {}
  }

  private static final class SecretServiceMethodDescriptorSupplier
      extends SecretServiceBaseDescriptorSupplier
      implements io.grpc.protobuf.ProtoMethodDescriptorSupplier {
    private final java.lang.String methodName;

    SecretServiceMethodDescriptorSupplier(java.lang.String methodName) {
      this.methodName = methodName;
    }

    @java.lang.Override
    public com.google.protobuf.Descriptors.MethodDescriptor getMethodDescriptor() {
      return getServiceDescriptor().findMethodByName(methodName);
    }
  }

  private static volatile io.grpc.ServiceDescriptor serviceDescriptor;

  public static io.grpc.ServiceDescriptor getServiceDescriptor() {
    io.grpc.ServiceDescriptor result = serviceDescriptor;
    if (result == null) {
      synchronized (SecretServiceGrpc.class) {
        result = serviceDescriptor;
        if (result == null) {
          serviceDescriptor = result = io.grpc.ServiceDescriptor.newBuilder(SERVICE_NAME)
              .setSchemaDescriptor(new SecretServiceFileDescriptorSupplier())
              .addMethod(getSetSecretMethod())
              .addMethod(getListSecretsMethod())
              .addMethod(getDeleteSecretMethod())
              .build();
        }
      }
    }
    return result;
  }
}
