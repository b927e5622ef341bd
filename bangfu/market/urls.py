from django.urls import path

from bangfu.market import views

app_name = "market"
NAV = [
    ("view_reports", "特色产业 Enterprises", "market:enterprise_list"),
    ("market_edit", "消费帮扶订单 Orders", "market:order_list"),
]
urlpatterns = [
    path("", views.enterprise_list, name="enterprise_list"),
    path("catalogue/", views.catalogue, name="catalogue"),
    path("enterprises/<int:pk>/", views.enterprise_detail, name="enterprise_detail"),
    path("enterprises/<int:pk>/sales/", views.sale_add, name="sale_add"),
    path("enterprises/<int:pk>/payments/", views.payment_add, name="payment_add"),
    path("events/<int:pk>/", views.event_detail, name="event_detail"),
    path("products/<int:pk>/", views.product_detail, name="product_detail"),
    path("products/<int:pk>/prices/", views.price_add, name="price_add"),
    path("products/<int:pk>/production/", views.production_add, name="production_add"),
    path("products/<int:pk>/certify/", views.certification_apply, name="certification_apply"),
    path("certifications/<int:pk>/decide/", views.certification_decide, name="certification_decide"),
    path("buyers/", views.buyer_list, name="buyer_list"),
    path("orders/", views.order_list, name="order_list"),
    path("orders/new/", views.order_new, name="order_new"),
    path("orders/<int:pk>/", views.order_detail, name="order_detail"),
    path("orders/<int:pk>/move/", views.order_move, name="order_move"),
]
